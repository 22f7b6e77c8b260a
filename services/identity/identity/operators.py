"""Create another operator of the vendor: ``python -m identity.operators create EMAIL``.

The password is asked for on the terminal (or read from PORTAL_OPERATOR_PASSWORD for scripts),
and must meet the strong level's rules.
"""
from __future__ import annotations

import getpass
import os
import sys

from sqlalchemy import select

from portalkit.db import Database, utcnow
from portalkit.settings import Settings

from .accounts import normalise_email
from .models import User
from .password_policy import broken_rules
from .passwords import hash_password


def create_operator(database: Database, email: str, password: str) -> User:
    email = normalise_email(email)
    broken = broken_rules(password, 3, email)
    if broken:
        raise ValueError("the password breaks these rules: " + ", ".join(broken))
    with database.transaction() as session:
        if session.scalar(select(User.id).where(User.email == email)):
            raise ValueError(f"{email} already has an account")
        operator = User(email=email, first_name="", last_name="", is_operator=True, security_level=3,
                        password_hash=hash_password(password), password_changed_at=utcnow(),
                        activated_at=utcnow())
        session.add(operator)
    return operator


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "create":
        print("usage: python -m identity.operators create EMAIL", file=sys.stderr)
        return 2
    password = os.environ.get("PORTAL_OPERATOR_PASSWORD") or getpass.getpass("Password: ")
    try:
        create_operator(Database(Settings.load("identity").database_url), argv[1], password)
    except ValueError as error:
        print(f"not created: {error}", file=sys.stderr)
        return 1
    print(f"operator {argv[1]} created")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

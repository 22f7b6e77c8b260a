"""The vendor's operators: listed, created (by another operator, or with the command
``python -m identity.operators create EMAIL``) and disabled.

The command asks for the password on the terminal (or reads PORTAL_OPERATOR_PASSWORD for
scripts); it must meet the strong level's rules. A disabled operator can no longer sign in and
their sessions end at once. An operator never disables themselves, and the portal never loses
its last active operator: each would leave nobody to run the back office.
"""
from __future__ import annotations

import getpass
import os
import sys

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.db import Database, utcnow
from portalkit.errors import PortalError, not_found
from portalkit.settings import Settings
from portalkit.signed_identity import Identity

from .accounts import USER_EXISTS_MESSAGE, normalise_email
from .events import sessions_ended
from .models import User
from .password_policy import broken_rules
from .passwords import hash_password

OPERATOR_LEVEL = 3


def new_operator(session: Session, email: str, password: str, first_name: str = "", last_name: str = "") -> User:
    """Add an active operator at the strong level (the caller commits); 400/409 in the error shape."""
    email = normalise_email(email)
    broken = broken_rules(password, OPERATOR_LEVEL, email, tuple(name for name in (first_name, last_name) if name))
    if broken:
        raise PortalError(400, "password_rules", "The password does not meet the rules.", {"password": broken})
    if session.scalar(select(User.id).where(User.email == email)):
        raise PortalError(409, "user_exists", USER_EXISTS_MESSAGE, {"email": ["already used"]})
    operator = User(email=email, first_name=first_name, last_name=last_name, is_operator=True,
                    security_level=OPERATOR_LEVEL, password_hash=hash_password(password),
                    password_changed_at=utcnow(), activated_at=utcnow())
    session.add(operator)
    return operator


def create_operator(database: Database, email: str, password: str) -> User:
    """The command's way: ValueError says why not."""
    try:
        with database.transaction() as session:
            return new_operator(session, email, password)
    except PortalError as error:
        if error.code == "password_rules":
            raise ValueError("the password breaks these rules: " + ", ".join(error.fields["password"])) from None
        raise ValueError(f"{normalise_email(email)} already has an account") from None


def register_operator(session: Session, data: dict) -> User:
    """An operator creates another (the back office's form)."""
    operator = new_operator(session, data["email"], data["password"], data.get("first_name", ""),
                            data.get("last_name", ""))
    try:
        session.commit()
    except IntegrityError:  # a concurrent creation took the address since the check
        session.rollback()
        raise PortalError(409, "user_exists", USER_EXISTS_MESSAGE, {"email": ["already used"]})
    return operator


def list_operators(session: Session, query: dict) -> tuple[list[User], int]:
    """Every operator, active ones first, by name."""
    conditions = [User.is_operator.is_(True)]
    total = session.scalar(select(func.count()).select_from(User).where(*conditions))
    rows = session.scalars(select(User).where(*conditions)
                           .order_by(User.disabled_at.is_not(None), User.last_name, User.first_name, User.email)
                           .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"]))
    return list(rows), total


def disable_operator(session: Session, identity: Identity, operator_id: str) -> User:
    """Disable an operator: no more sign-in, their sessions end. Never oneself, never the last one."""
    operator = session.scalar(select(User).where(User.id == operator_id, User.is_operator.is_(True))
                              .with_for_update(of=User)) if len(operator_id) <= 32 else None
    if operator is None:
        raise not_found("operator")
    if operator.id == identity.user_id:
        raise PortalError(409, "own_account", "An operator cannot disable their own account.")
    if operator.disabled_at is not None:
        raise PortalError(409, "operator_disabled", "This operator is disabled already.")
    # Rows locked: two operators disabling each other at once cannot both succeed.
    active = session.scalars(select(User.id).where(User.is_operator.is_(True), User.disabled_at.is_(None))
                             .with_for_update()).all()
    if len(active) <= 1:
        raise PortalError(409, "last_operator", "The portal's last active operator cannot be disabled.")
    operator.disabled_at = utcnow()
    sessions_ended(session, operator)
    session.commit()
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

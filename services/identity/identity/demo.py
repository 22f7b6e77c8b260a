"""Load the demo data of ``make up``: a demo company (with a SIREN) with an active administrator, a
plain user and a declarant account of the Etafi declarative portal (its password set).

Idempotent. The administrator is activated through the real use case, so catalog grants them
"User Management - Administration" through the bus, exactly as for a real company.
"""
from __future__ import annotations

from sqlalchemy import select

from portalkit.db import Database, utcnow
from portalkit.settings import Settings
from portalkit.signed_identity import Identity

from . import accounts, companies, declarants
from .events import outbox, recipient
from .declarant_models import Declarant
from .models import Company, User
from .passwords import hash_password
from .settings import IdentitySettings

COMPANY = {"number": "DEMO-001", "name": "Demo Company", "postcode": "75002", "city": "Paris",
           "siren": "123456782"}  # nine digits whose Luhn key holds: a made-up SIREN
ADMINISTRATOR = {"email": "admin@demo.localhost", "title": "MME", "first_name": "Alice",
                 "last_name": "Martin", "language": "en", "security_level": 2}
ADMINISTRATOR_PASSWORD = "Demo-Admin-2026!"
USER = {"email": "user@demo.localhost", "title": "M", "first_name": "Bruno", "last_name": "Petit",
        "language": "fr", "security_level": 1}
USER_PASSWORD = "Demo-User-2026!"
DECLARANT = {"login": "demo.declarant", "email": "declarant@demo.localhost", "first_name": "Denis",
             "last_name": "Roux", "language": "fr", "role": "declarant"}
DECLARANT_PASSWORD = "Liasse-Demo-2026!"


def load(database: Database, settings: IdentitySettings) -> bool:
    """Create the demo company and its people unless they exist; True if created."""
    with database.sessions() as session:
        if session.scalar(select(Company.id).where(Company.number == COMPANY["number"])):
            return False
        company, admin, token = companies.register_company(session, settings, Identity(),  # no one: the loader
                                                           {**COMPANY, "administrator": ADMINISTRATOR})
        accounts.activate(session, settings, token, {"password": ADMINISTRATOR_PASSWORD, "function": "IT manager"})
        user = User(company_id=company.id, email=USER["email"], title=USER["title"],
                    first_name=USER["first_name"], last_name=USER["last_name"], language=USER["language"],
                    security_level=USER["security_level"], function="Accountant",
                    password_hash=hash_password(USER_PASSWORD), password_changed_at=utcnow(),
                    activated_at=utcnow())
        session.add(user)
        session.flush()
        outbox.add(session, "UserActivated", {**recipient(user), "company_id": company.id,
                                              "title": user.title, "security_level": user.security_level,
                                              "company_administrator": False})
        declarant = Declarant(**DECLARANT, company_id=company.id, password_hash=hash_password(DECLARANT_PASSWORD),
                              password_changed_at=utcnow())
        declarant.company = company
        session.add(declarant)
        session.flush()
        # No password link to mail (it is set): the fact alone, so that notifications mails its filings.
        outbox.add(session, "DeclarantRecorded", declarants.facts(declarant))
        session.commit()
    return True


def main() -> None:
    created = load(Database(Settings.load("identity").database_url), IdentitySettings.load())
    print("identity: demo data loaded" if created else "identity: demo data already there")


if __name__ == "__main__":
    main()

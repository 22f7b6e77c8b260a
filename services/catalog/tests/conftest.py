"""Fixtures of catalog's unit tests: a migrated SQLite database per test, the app, signed callers."""
from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import select

from portalkit.db import Database
from portalkit.events import load_event, new_envelope
from portalkit.migrations import upgrade
from portalkit.settings import identity_secret
from portalkit.signed_identity import HEADER, Identity, sign

from catalog.app import create_app
from catalog.handlers import HANDLERS
from catalog.models import OutboxMessage
from catalog.seed import read_catalog, seed

COMPANY = "company-a"  # the company of the callers and members the fixtures make by default


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """One database migrated by the real migrations, copied for each test (fast and faithful)."""
    path = tmp_path_factory.mktemp("template") / "catalog.db"
    upgrade("catalog", url=f"sqlite:///{path}")
    return path


@pytest.fixture
def database(tmp_path, monkeypatch, migrated):
    for name in ("PORTAL_DATABASE_URL", "PORTAL_IDENTITY_SECRET", "PORTAL_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path))
    path = tmp_path / "catalog.db"
    shutil.copy(migrated, path)
    monkeypatch.setenv("PORTAL_CATALOG_DATABASE_URL", f"sqlite:///{path}")
    database = Database(f"sqlite:///{path}")
    yield database
    database.engine.dispose()


@pytest.fixture
def seeded(database):
    with database.transaction() as session:
        seed(session, read_catalog())
    with database.transaction() as session:
        session.query(OutboxMessage).delete()  # tests look at the events they cause themselves
    return database


@pytest.fixture
def handle(database):
    """Run a handler the way the worker does: one event, one transaction."""
    def run(event_type: str, data: dict, event_id: str | None = None):
        envelope = new_envelope(event_type, data)
        if event_id:
            envelope["id"] = event_id
        event = load_event(envelope)
        with database.transaction() as session:
            HANDLERS[event.routing_key](session, event)
        return event
    return run


@pytest.fixture
def events(database):
    """The events recorded in the outbox, oldest first: ``events("SubscriptionAccepted")``."""
    def read(event_type: str | None = None) -> list[dict]:
        with database.sessions() as session:
            bodies = [json.loads(row.body) for row in
                      session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
        return [body["data"] for body in bodies if event_type in (None, body["type"])]
    return read


def _user_data(user_id: str, company_id: str = COMPANY, security_level: int = 1, **extra) -> dict:
    return {"user_id": user_id, "email": f"{user_id}@example.com", "first_name": "Lovana",
            "last_name": user_id.title(), "language": "en", "company_id": company_id,
            "security_level": security_level, **extra}


@pytest.fixture
def user_data():
    """The data of a user event (UserActivated, UserUpdated) for ``user_id``."""
    return _user_data


@pytest.fixture
def activate(handle):
    """Make a member known to the catalog, as identity's UserActivated does."""
    def run(user_id: str, company_id: str = COMPANY, security_level: int = 1,
            company_administrator: bool = False, **extra):
        return handle("UserActivated", _user_data(user_id, company_id, security_level,
                                                 company_administrator=company_administrator, **extra))
    return run


@pytest.fixture
def app(database):
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def signed(database):
    """Headers carrying a gateway-signed identity: ``signed("u1", language="fr")``."""
    def headers(user_id: str | None, company_id: str | None = COMPANY, **identity) -> dict:
        token = sign(Identity(user_id=user_id, company_id=company_id, **identity), identity_secret())
        return {HEADER: token}
    return headers

"""Fixtures of catalog's unit tests: a migrated database per test, the app, signed callers, the calendar.

SQLite by default; with ``PORTAL_TEST_POSTGRES_URL`` (a server URL, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/``) each test gets its own PostgreSQL database,
cloned from one migrated template, and dropped after.
"""
from __future__ import annotations

import json
import os
import shutil
import uuid
from datetime import date

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from portalkit.db import Database
from portalkit.events import load_event, new_envelope
from portalkit.migrations import upgrade
from portalkit.settings import identity_secret
from portalkit.signed_identity import HEADER, Identity, sign

from catalog import clock
from catalog.app import create_app
from catalog.handlers import HANDLERS
from catalog.models import OutboxMessage, Service
from catalog.seed import read_catalog, seed

COMPANY = "company-a"  # the company of the callers and members the fixtures make by default
ADMINISTRATION = "user-management-administration"
SUPERVISION = "user-management-supervision-administration"
TODAY = date(2026, 11, 23)  # the catalog's calendar in tests (see ``today``)


POSTGRES = os.environ.get("PORTAL_TEST_POSTGRES_URL")


def _server():
    return create_engine(make_url(POSTGRES).set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """One database migrated by the real migrations, copied for each test (fast and faithful)."""
    if POSTGRES:
        name = f"catalog_test_template_{os.getpid()}"
        url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
        upgrade("catalog", url=url)
        yield name
        with _server().connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return
    path = tmp_path_factory.mktemp("template") / "catalog.db"
    upgrade("catalog", url=f"sqlite:///{path}")
    yield path


@pytest.fixture
def database(tmp_path, monkeypatch, migrated):
    for name in ("PORTAL_DATABASE_URL", "PORTAL_IDENTITY_SECRET", "PORTAL_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path))
    if POSTGRES:
        name = f"catalog_test_{uuid.uuid4().hex[:12]}"
        with _server().connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{migrated}"'))
        url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    else:
        path = tmp_path / "catalog.db"
        shutil.copy(migrated, path)
        url = f"sqlite:///{path}"
    monkeypatch.setenv("PORTAL_CATALOG_DATABASE_URL", url)
    database = Database(url)
    yield database
    database.engine.dispose()
    if POSTGRES:
        with _server().connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


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
def create(handle):
    """Make a user known to the catalog as identity's UserCreated does: created by an administrator
    (or the operator, for a ``company_administrator``), not activated yet."""
    def run(user_id: str, company_id: str = COMPANY, security_level: int = 1,
            company_administrator: bool = False, **extra):
        return handle("UserCreated", _user_data(user_id, company_id, security_level,
                                               company_administrator=company_administrator, **extra))
    return run


@pytest.fixture
def member(database):
    """Record a member and nothing else (no grant): ``member("u1", security_level=2)``."""
    def run(user_id: str, company_id: str = COMPANY, security_level: int = 3, **fields):
        from catalog.models import Member
        with database.transaction() as session:
            session.add(Member(user_id=user_id, company_id=company_id, security_level=security_level,
                               email=f"{user_id}@example.com", **fields))
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


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The catalog's calendar: ``today.set(date)`` moves it (the expiry job and dates read it)."""
    class Calendar:
        day = TODAY

        def set(self, day: date) -> None:
            self.day = day

        def __call__(self) -> date:
            return self.day
    calendar = Calendar()
    monkeypatch.setattr(clock, "today", calendar)
    return calendar


@pytest.fixture
def contract(handle):
    """Put a company under maintenance contract, as assets' ContractActivated does."""
    def run(company_id: str = COMPANY, contract_id: str | None = None, starts_on: date = date(2020, 1, 1),
            ends_on: date | None = None):
        contract_id = contract_id or uuid.uuid4().hex
        handle("ContractActivated", {"contract_id": contract_id, "company_id": company_id,
                                     "starts_on": starts_on, "ends_on": ends_on})
        return contract_id
    return run


@pytest.fixture
def administrator(signed):
    """Headers of a company administrator (and of the supervisor of ``supervises``)."""
    def headers(user_id: str, company_id: str = COMPANY, supervises: tuple = (), **identity) -> dict:
        entitlements = {f"{ADMINISTRATION}@{company_id}"} | {f"{SUPERVISION}@{c}" for c in supervises}
        return signed(user_id, company_id, entitlements=frozenset(entitlements), **identity)
    return headers


@pytest.fixture
def service_id(seeded):
    """The id of a service by its code."""
    def find(code):
        with seeded.sessions() as session:
            return session.scalar(select(Service.id).where(Service.code == code))
    return find


@pytest.fixture
def reminder_contract():
    """The reminder's contract, as every consumer loads it."""
    from portalkit.events import SubscriptionExpiring
    return SubscriptionExpiring

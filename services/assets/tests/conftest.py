"""Fixtures of assets' unit tests: a migrated SQLite database per test, the app, signed callers, the
calendar and the events recorded."""
from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from sqlalchemy import select

from portalkit.db import Database
from portalkit.events import load_event, new_envelope
from portalkit.migrations import upgrade
from portalkit.settings import identity_secret
from portalkit.signed_identity import HEADER, Identity, sign

from assets import clock
from assets.app import create_app
from assets.handlers import HANDLERS
from assets.models import OutboxMessage

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """One database migrated by the real migrations, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "assets.db"
    upgrade("assets", url=f"sqlite:///{path}")
    return path


@pytest.fixture
def database(tmp_path, monkeypatch, migrated):
    for name in ("PORTAL_DATABASE_URL", "PORTAL_IDENTITY_SECRET", "PORTAL_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path))
    path = tmp_path / "assets.db"
    shutil.copy(migrated, path)
    monkeypatch.setenv("PORTAL_ASSETS_DATABASE_URL", f"sqlite:///{path}")
    database = Database(f"sqlite:///{path}")
    yield database
    database.engine.dispose()


@pytest.fixture
def handle(database):
    """Run a handler the way the worker does: one event, one transaction."""
    def run(event_type: str, data: dict):
        event = load_event(new_envelope(event_type, data))
        with database.transaction() as session:
            HANDLERS[event.routing_key](session, event)
        return event
    return run


@pytest.fixture
def client(database):
    return create_app({"TESTING": True}).test_client()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """assets' calendar: ``today.set(date)`` moves it."""
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
def signed(database):
    """Headers carrying a gateway-signed identity."""
    def headers(user_id: str | None, company_id: str | None = None, **identity) -> dict:
        return {HEADER: sign(Identity(user_id=user_id, company_id=company_id, **identity), identity_secret())}
    return headers


@pytest.fixture
def operator(signed):
    return signed("op", operator=True)


@pytest.fixture
def events(database):
    """The events recorded in the outbox, oldest first, as (type, data)."""
    def read() -> list[tuple[str, dict]]:
        with database.sessions() as session:
            bodies = [json.loads(row.body) for row in
                      session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
        return [(body["type"], body["data"]) for body in bodies]
    return read

"""Fixtures of assets' unit tests: a migrated SQLite database per test, the app, signed callers, the
calendar and the events recorded."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from portalkit import testing

from assets import clock
from assets.app import create_app
from assets.handlers import HANDLERS
from assets.models import OutboxMessage

TODAY = date(2026, 11, 23)
# The tests' shared database fixtures (serialization_fixtures.py) import as modules of their own.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """One database migrated by the real migrations, copied for each test."""
    return testing.migrated_template(tmp_path_factory.mktemp("template"), "assets")


@pytest.fixture
def database(tmp_path, monkeypatch, migrated):
    database = testing.isolated_database(monkeypatch, tmp_path, migrated, "assets")
    yield database
    database.engine.dispose()


@pytest.fixture
def handle(database):
    """Run a handler the way the worker does: one event, one transaction."""
    return lambda event_type, data: testing.handle(database, HANDLERS, event_type, data)


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
        return testing.signed_headers(user_id=user_id, company_id=company_id, **identity)
    return headers


@pytest.fixture
def operator(signed):
    return signed("op", operator=True)


@pytest.fixture
def events(database):
    """The events recorded in the outbox, oldest first, as (type, data); the operators' decisions
    told for the trail (``ContractRecorded``, ``ContractEndScheduled``) only with ``decisions=True``."""
    def read(decisions: bool = False) -> list[tuple[str, dict]]:
        return [(body["type"], body["data"]) for body in testing.recorded_events(database, OutboxMessage)
                if decisions or body["type"] not in ("ContractRecorded", "ContractEndScheduled")]
    return read

"""Fixtures of knowledge's unit tests: a migrated SQLite database per test and the app."""
from __future__ import annotations

import pytest

from portalkit import testing

from knowledge.app import create_app
from knowledge.handlers import HANDLERS


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """One database migrated by the real migrations, copied for each test."""
    return testing.migrated_template(tmp_path_factory.mktemp("template"), "knowledge")


@pytest.fixture
def database(tmp_path, monkeypatch, migrated):
    database = testing.isolated_database(monkeypatch, tmp_path, migrated, "knowledge")
    yield database
    database.engine.dispose()


@pytest.fixture
def handle(database):
    """Run a handler the way the worker does: one event, one transaction."""
    return lambda event_type, data: testing.handle(database, HANDLERS, event_type, data)


@pytest.fixture
def client(database):
    return create_app({"TESTING": True}).test_client()


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
    """The events recorded in the outbox, oldest first, as (type, data)."""
    from knowledge.models import OutboxMessage
    return lambda: [(body["type"], body["data"]) for body in testing.recorded_events(database, OutboxMessage)]

"""Fixtures of support's unit tests: a migrated SQLite database per test and the app."""
from __future__ import annotations

import shutil

import pytest

from portalkit.db import Database
from portalkit.events import load_event, new_envelope
from portalkit.migrations import upgrade

from support.app import create_app
from support.handlers import HANDLERS


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """One database migrated by the real migrations, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "support.db"
    upgrade("support", url=f"sqlite:///{path}")
    return path


@pytest.fixture
def database(tmp_path, monkeypatch, migrated):
    for name in ("PORTAL_DATABASE_URL", "PORTAL_IDENTITY_SECRET", "PORTAL_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path))
    path = tmp_path / "support.db"
    shutil.copy(migrated, path)
    monkeypatch.setenv("PORTAL_SUPPORT_DATABASE_URL", f"sqlite:///{path}")
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

"""What every service's unit tests need of the infrastructure: a migrated database per test, an
event run the way the worker runs it, and a call signed the way the gateway signs it; a
PostgreSQL database of its own for what only PostgreSQL shows (row locks).

Each service's ``tests/conftest.py`` wraps these in its fixtures.
"""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .db import Database
from .events import Event, load_event, new_envelope
from .migrations import upgrade
from .settings import identity_secret
from .signed_identity import HEADER, Identity, sign

# Settings a developer's shell may carry that would point a test at a real server.
OUTSIDE_SETTINGS = ("PORTAL_DATABASE_URL", "PORTAL_IDENTITY_SECRET", "PORTAL_BROKER_URL")


def migrated_template(folder: Path, package: str) -> Path:
    """A SQLite database migrated once by the package's real migrations, to copy for each test."""
    path = folder / f"{package}.db"
    upgrade(package, url=f"sqlite:///{path}")
    return path


def isolated_database(monkeypatch, folder: Path, template: Path, component: str) -> Database:
    """A copy of ``template`` in ``folder``, with the environment pointing there and nowhere else."""
    for name in OUTSIDE_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_VAR_DIR", str(folder))
    path = folder / f"{component}.db"
    shutil.copy(template, path)
    monkeypatch.setenv(f"PORTAL_{component.upper()}_DATABASE_URL", f"sqlite:///{path}")
    return Database(f"sqlite:///{path}")


def handle(database: Database, handlers: dict, event_type: str, data: dict) -> Event:
    """Run the handler of an event the way the worker does: one event, one transaction."""
    event = load_event(new_envelope(event_type, data))
    with database.transaction() as session:
        handlers[event.routing_key](session, event)
    return event


def signed_headers(**identity) -> dict:
    """The header the gateway would add for this caller (anonymous when given nothing)."""
    return {HEADER: sign(Identity(**identity), identity_secret())}


def recorded_events(database: Database, outbox_model: type) -> list[dict]:
    """The envelopes a service wrote to its outbox, oldest first."""
    import json

    from sqlalchemy import select
    with database.sessions() as session:
        return [json.loads(body) for body in
                session.scalars(select(outbox_model.body).order_by(outbox_model.id))]


@contextmanager
def postgresql_database(component: str) -> Iterator[Database]:
    """A migrated PostgreSQL database of its own on ``PORTAL_TEST_DATABASE_URL``'s server, dropped
    after; skipped when there is no server — unless PORTAL_REQUIRE_REAL_BROKER=1 (CI)."""
    import os
    import uuid

    import pytest
    from sqlalchemy import create_engine, text

    server = os.environ.get("PORTAL_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
    name = f"{component}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001
        admin.dispose()
        if os.environ.get("PORTAL_REQUIRE_REAL_BROKER") == "1":
            raise
        pytest.skip(f"no PostgreSQL server: {type(error).__name__}")
    url = f"{server}/{name}"
    upgrade(component, url=url)
    database = Database(url)
    try:
        yield database
    finally:
        database.engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()

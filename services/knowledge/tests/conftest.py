"""Fixtures of knowledge's unit tests: a migrated SQLite database per test and the app, signed
callers, the events recorded; ``engine_database``, the same database on each search engine
(SQLite FTS5, and PostgreSQL's tsvector on the server of ``PORTAL_TEST_DATABASE_URL``)."""
from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portalkit import testing
from portalkit.db import Database
from portalkit.migrations import upgrade

from knowledge.app import create_app
from knowledge.handlers import HANDLERS
from knowledge.models import OutboxMessage

# The tests' helpers (pdf_fixture.py) import as modules of their own.
sys.path.insert(0, str(Path(__file__).parent))
POSTGRES = os.environ.get("PORTAL_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
VIEW_FAQS = "view-faqs"


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """One database migrated by the real migrations, copied for each test."""
    return testing.migrated_template(tmp_path_factory.mktemp("template"), "knowledge")


@pytest.fixture
def database(tmp_path, monkeypatch, migrated):
    database = testing.isolated_database(monkeypatch, tmp_path, migrated, "knowledge")
    yield database
    database.engine.dispose()


def _server():
    return create_engine(make_url(POSTGRES).set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def postgres_template():
    """knowledge's migrations run once on the PostgreSQL server; each test clones the result."""
    try:
        with _server().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - no server: skipped, or a failure where one is required
        if os.environ.get("PORTAL_REQUIRE_REAL_BROKER") == "1":
            pytest.fail(f"PostgreSQL is required: {error}")
        pytest.skip(f"no PostgreSQL server at {POSTGRES}")
    name = f"knowledge_test_template_{os.getpid()}"
    with _server().connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    upgrade("knowledge", url=make_url(POSTGRES).set(database=name).render_as_string(hide_password=False))
    yield name
    with _server().connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_database(request, tmp_path, monkeypatch, migrated):
    """The knowledge database on one engine, then the other: the search suite runs on both."""
    if request.param == "sqlite":
        database = testing.isolated_database(monkeypatch, tmp_path, migrated, "knowledge")
        yield database
        database.engine.dispose()
        return
    template = request.getfixturevalue("postgres_template")
    name = f"knowledge_test_{uuid.uuid4().hex[:12]}"
    with _server().connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    testing.isolated_database(monkeypatch, tmp_path, migrated, "knowledge").engine.dispose()
    monkeypatch.setenv("PORTAL_KNOWLEDGE_DATABASE_URL", url)
    database = Database(url)
    yield database
    database.engine.dispose()
    with _server().connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.fixture
def handle(database):
    """Run a handler the way the worker does: one event, one transaction."""
    return lambda event_type, data: testing.handle(database, HANDLERS, event_type, data)


@pytest.fixture
def client(database):
    return create_app({"TESTING": True}).test_client()


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    root = tmp_path / "files"
    monkeypatch.setenv("PORTAL_FILESTORE_URL", f"file://{root}")
    return root


@pytest.fixture
def signed():
    def headers(user_id, company_id=None, **identity) -> dict:
        return testing.signed_headers(user_id=user_id, company_id=company_id, **identity)
    return headers


@pytest.fixture
def operator(signed):
    return signed("op", operator=True)


@pytest.fixture
def reader(signed):
    return signed("u1", "c1", entitlements=frozenset({f"{VIEW_FAQS}@c1"}), language="fr")


@pytest.fixture
def events(database):
    def read() -> list[tuple[str, dict]]:
        return [(body["type"], body["data"]) for body in testing.recorded_events(database, OutboxMessage)]
    return read


@pytest.fixture
def postgres_session(engine_database):
    """A session on ``engine_database`` (parametrized to PostgreSQL by the test), rolled back after."""
    with engine_database.sessions() as session:
        yield session
        session.rollback()

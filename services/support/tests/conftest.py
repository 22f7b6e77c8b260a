"""Fixtures of support's unit tests: a migrated SQLite database per test and the app."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from portalkit import testing

from support.app import create_app
from support.handlers import HANDLERS

# The tests' shared scene (support_scene.py) imports as a module of its own.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """One database migrated by the real migrations, copied for each test."""
    return testing.migrated_template(tmp_path_factory.mktemp("template"), "support")


@pytest.fixture
def database(tmp_path, monkeypatch, migrated):
    database = testing.isolated_database(monkeypatch, tmp_path, migrated, "support")
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
def scene(handle):
    import support_scene
    support_scene.build(handle)
    return support_scene

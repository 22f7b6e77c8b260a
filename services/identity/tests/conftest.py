"""Fixtures of identity's tests: an isolated var folder, a migrated database, signed callers."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from portalkit import signed_identity as si
from portalkit.migrations import upgrade
from portalkit.settings import identity_secret

# importlib import mode (pytest.ini) puts no test folder on sys.path; the helpers' name is unique.
sys.path.insert(0, str(Path(__file__).resolve().parent))

OPERATOR_EMAIL, OPERATOR_PASSWORD = "op@vendor.test", "Operator-Pass-2026!"


@pytest.fixture(autouse=True)
def environment(tmp_path, monkeypatch):
    for name in ("PORTAL_DATABASE_URL", "PORTAL_IDENTITY_DATABASE_URL", "PORTAL_BROKER_URL",
                 "PORTAL_IDENTITY_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("PORTAL_BOOTSTRAP_OPERATOR_EMAIL", OPERATOR_EMAIL)
    monkeypatch.setenv("PORTAL_BOOTSTRAP_OPERATOR_PASSWORD", OPERATOR_PASSWORD)
    upgrade("identity")


@pytest.fixture
def app():
    from identity.app import create_app
    return create_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def as_caller():
    """Headers of a call the gateway signed for the given identity (anonymous by default)."""
    def headers(**fields):
        return {si.HEADER: si.sign(si.Identity(**fields), identity_secret())}
    return headers


@pytest.fixture
def database(app):
    return app.extensions["portal.database"]


@pytest.fixture
def portal(client, as_caller, database):
    """The identity service driven through its routes, with helpers to set the scene."""
    from identity_testkit import Portal
    return Portal(client, as_caller, database)

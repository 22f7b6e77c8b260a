"""Fixtures of notifications' tests: an isolated var folder, a fake sender, a migrated database."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from portalkit.db import Database
from portalkit.migrations import upgrade

from notifications import handlers
from notifications.delivery import Postman
from notifications.rendering import MailWriter

# importlib import mode (pytest.ini) puts no test folder on sys.path; the helpers' name is unique.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from notifications_testkit import BASE_URL, MAIL_FROM, FakeSender  # noqa: E402

SETTINGS = ("PORTAL_DATABASE_URL", "PORTAL_NOTIFICATIONS_DATABASE_URL", "PORTAL_BROKER_URL",
            "PORTAL_IDENTITY_SECRET", "PORTAL_SMTP_HOST", "PORTAL_SMTP_PORT", "PORTAL_SMTP_USER",
            "PORTAL_SMTP_PASSWORD", "PORTAL_SMTP_STARTTLS", "PORTAL_SMTP_SSL", "PORTAL_SMTP_TIMEOUT",
            "PORTAL_MAIL_FROM", "PORTAL_MAIL_TIMEZONE")


@pytest.fixture(autouse=True)
def environment(tmp_path, monkeypatch):
    """Whatever the developer's shell says, each test has its own var folder and settings."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("PORTAL_BASE_URL", BASE_URL)
    monkeypatch.setenv("PORTAL_MAIL_DIR", str(tmp_path / "mail"))
    # The worker's handlers read the environment once, on first use: each test starts afresh.
    handlers._configured.cache_clear()
    yield tmp_path
    handlers._configured.cache_clear()


@pytest.fixture
def sender():
    return FakeSender()


@pytest.fixture
def postman(sender):
    return Postman(sender, MailWriter(), MAIL_FROM)


@pytest.fixture
def database(tmp_path):
    url = f"sqlite:///{tmp_path / 'notifications.db'}"
    upgrade("notifications", url=url)
    database = Database(url)
    yield database
    database.engine.dispose()

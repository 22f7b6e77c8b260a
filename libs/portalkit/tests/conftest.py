import os
import socket
from urllib.parse import urlparse

import pytest

# The PostgreSQL server the tests needing one use (its ``postgres`` database, or new ones on it).
SERVER = os.environ.get("PORTAL_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")


@pytest.fixture(autouse=True)
def var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("PORTAL_BROKER_URL", raising=False)
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    monkeypatch.delenv("PORTAL_IDENTITY_SECRET", raising=False)
    return tmp_path / "var"


@pytest.fixture
def postgres_server():
    """The server's URL without a database; skipped (failed under CI's rule) when it is not there."""
    parsed = urlparse(SERVER)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 5432), timeout=1).close()
    except OSError as error:
        if os.environ.get("PORTAL_REQUIRE_REAL_BROKER") == "1":
            pytest.fail(f"PostgreSQL required but unavailable: {error}")
        pytest.skip(f"PostgreSQL unavailable: {error}")
    return SERVER


@pytest.fixture
def server_url(postgres_server):
    return f"{postgres_server}/postgres"

"""The pool of a PostgreSQL database: a connection dropped while idle is never handed out."""
from sqlalchemy import create_engine, text

from portalkit import db
from portalkit.db import Database


def _backend_pid(database: Database) -> int:
    with database.engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(url: str, pid: int) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    admin.dispose()


def test_a_connection_dropped_while_idle_is_replaced_before_use(server_url, monkeypatch):
    database = Database(server_url, pool_size=1)
    first = _backend_pid(database)
    _terminate(server_url, first)
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # it has been idle "long enough"

    assert _backend_pid(database) != first  # no error reached the caller
    database.engine.dispose()


def test_a_connection_used_a_moment_ago_is_not_pinged(server_url, monkeypatch):
    database = Database(server_url, pool_size=1)
    pings = []
    monkeypatch.setattr(database.engine.dialect, "do_ping", lambda connection: pings.append(1) or True)
    first = _backend_pid(database)

    assert _backend_pid(database) == first
    assert pings == []
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)
    assert _backend_pid(database) == first
    assert pings == [1]
    database.engine.dispose()

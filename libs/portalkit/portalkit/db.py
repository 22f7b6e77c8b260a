"""The database of one service: engine, sessions, and the SQLite settings that make it safe."""
from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import DateTime, create_engine, event, exc, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp that is always timezone-aware UTC, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


def _tune_sqlite(engine: Engine, immediate: bool = True) -> None:
    # Several processes (web workers, the event worker) share one file: WAL lets readers go on
    # while one writes, busy_timeout makes writers wait instead of failing, and BEGIN IMMEDIATE
    # takes the write lock up front so that a read-then-write transaction never hits the
    # "database is locked" error SQLite raises when a reader tries to upgrade. Read-only work
    # (``Database.read_sessions``) begins plainly: readers must not queue for the write lock.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# A pooled connection idle for longer than this is pinged before it is handed out again.
IDLE_PING_SECONDS = 10.0


def _ping_when_idle(engine: Engine) -> None:
    # pool_pre_ping would cost a round trip on every checkout, i.e. on every request, and a
    # sign-in checks out twice. A connection given back a moment ago is known to work; one that
    # sat in the pool may have been dropped (a database restart, a firewall's idle timeout), so
    # only those are pinged. Raising DisconnectionError makes the pool discard the connection
    # and hand out a new one (SQLAlchemy's "pessimistic, custom" disconnect handling); an error
    # on a connection dropped since its last use still invalidates the pool as usual.
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError("the pooled connection was dropped while idle") from error
        if not alive:
            raise exc.DisconnectionError("the pooled connection was dropped while idle")


class Database:
    """One service's database: an engine and a session factory."""

    def __init__(self, url: str, **engine_options):
        self.url = url
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(url, **engine_options)
            _tune_sqlite(self.engine)
            self.reader = create_engine(url, **engine_options)
            _tune_sqlite(self.reader, immediate=False)
        else:
            engine_options.setdefault("pool_size", 5)
            engine_options.setdefault("max_overflow", 10)
            self.engine = self.reader = create_engine(url, **engine_options)
            if not engine_options.get("pool_pre_ping"):
                _ping_when_idle(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # For work that only reads (GET requests): on SQLite it never waits for the write lock.
        self.read_sessions = sessionmaker(self.reader, expire_on_commit=False)

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

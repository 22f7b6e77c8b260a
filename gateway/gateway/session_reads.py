"""The per-request read of a session row, done on the database driver directly.

It runs on every authenticated call: SQLAlchemy's execution layers cost three times the query
itself (35 µs against 10 µs on SQLite), so the statement is compiled once for the dialect and
its rows converted here. It reads outside any transaction, on an engine of its own.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import NamedTuple

from sqlalchemy import bindparam, create_engine, event, select
from sqlalchemy.engine import Engine

from portalkit.db import Database

from .models import Entitlement, UserSession

SESSIONS = UserSession.__table__
ENTITLEMENTS = Entitlement.__table__


class SessionRow(NamedTuple):
    id: str
    user_id: str
    company_id: str | None
    operator: bool
    language: str
    display_name: str
    company_name: str
    scope: str
    revision: int
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    declarant_role: str
    entity_ids: str


_BY_TOKEN_HASH = select(*(SESSIONS.c[name] for name in SessionRow._fields)) \
    .where(SESSIONS.c.token_hash == bindparam("token_hash"))
_ENTITLEMENTS_OF = select(ENTITLEMENTS.c.service_code, ENTITLEMENTS.c.scope_company_id) \
    .where(ENTITLEMENTS.c.user_id == bindparam("user_id"), ENTITLEMENTS.c.ended_at.is_(None))


class SessionReader:
    def __init__(self, database: Database):
        self.engine = reading_engine(database)
        compiled = _BY_TOKEN_HASH.compile(dialect=self.engine.dialect)
        self._sql = str(compiled)
        self._positional = bool(compiled.positional)
        dbapi = self.engine.dialect.loaded_dbapi
        self._reconnectable = (dbapi.OperationalError, dbapi.InterfaceError)

    def session_row(self, token_hash: str) -> SessionRow | None:
        params = (token_hash,) if self._positional else {"token_hash": token_hash}
        for attempt in (1, 2):
            connection = self.engine.raw_connection()
            try:
                cursor = connection.cursor()
                cursor.execute(self._sql, params)
                row = cursor.fetchone()
                cursor.close()
            except self._reconnectable:
                # A pooled connection the database server dropped: throw it away, try once more.
                connection.invalidate()
                if attempt == 2:
                    raise
                continue
            finally:
                connection.close()
            if row is None:
                return None
            return SessionRow(row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6],
                              row[7], row[8], _utc(row[9]), _utc(row[10]), _utc(row[11]), row[12] or "",
                              row[13] or "")
        return None

    def entitlements_of(self, user_id: str) -> frozenset[str]:
        with self.engine.connect() as connection:
            rows = connection.execute(_ENTITLEMENTS_OF, {"user_id": user_id}).all()
        return frozenset(f"{code}@{company}" for code, company in rows)


def _utc(value) -> datetime | None:
    # SQLite hands back the stored text, PostgreSQL an aware datetime; both are UTC.
    if value is None or isinstance(value, datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def reading_engine(database: Database) -> Engine:
    """An engine whose connections read without opening a transaction.

    portalkit's SQLite engine begins every transaction with ``BEGIN IMMEDIATE`` (the write lock),
    which would serialise every request of every gateway process; on PostgreSQL autocommit
    spares the ROLLBACK round trip a pooled connection costs on its return.
    """
    engine = create_engine(database.engine.url, isolation_level="AUTOCOMMIT", pool_size=10,
                           max_overflow=20)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA busy_timeout=30000")
            dbapi_connection.execute("PRAGMA query_only=ON")
    return engine

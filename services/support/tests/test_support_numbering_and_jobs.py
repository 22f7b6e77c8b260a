"""Request numbers under concurrent creation (threads, SQLite and — when a server answers —
PostgreSQL), the auto-close job driven by a clock passed in, and the migrations building exactly the
models' tables."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from portalkit import testing
from support import moves
from support.models import Base, RequestMove, SupportRequest
from support.requests import auto_close, next_number
from support.settings import SupportSettings
from support.worker import auto_close_job

THREADS, EACH = 8, 15


def _numbers_taken_concurrently(database: Database, year: int) -> list[str]:
    taken, errors = [], []
    start = threading.Barrier(THREADS)

    def take():
        try:
            start.wait()
            for _ in range(EACH):
                with database.transaction() as session:
                    taken.append(next_number(session, year))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=take) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return taken


def test_numbers_are_unique_and_gapless_under_concurrent_creation_on_sqlite(database):
    taken = _numbers_taken_concurrently(database, 2026)
    assert sorted(taken) == [f"SR-2026-{n:06d}" for n in range(1, THREADS * EACH + 1)]
    with database.transaction() as session:
        assert next_number(session, 2027) == "SR-2027-000001"


@pytest.fixture
def postgresql_database():
    with testing.postgresql_database("support") as database:
        yield database


def test_numbers_are_unique_and_gapless_under_concurrent_creation_on_postgresql(postgresql_database):
    taken = _numbers_taken_concurrently(postgresql_database, 2026)
    assert sorted(taken) == [f"SR-2026-{n:06d}" for n in range(1, THREADS * EACH + 1)]


def _seed(database, status: str, changed_at: datetime, last_comment_at=None) -> str:
    now = changed_at
    with database.transaction() as session:
        request = SupportRequest(number=next_number(session, 2026), company_id="acme", requester_id="ann",
                                 subject="s", description="d", severity="minor", status=status,
                                 created_at=now, updated_at=now, status_changed_at=changed_at,
                                 last_client_comment_at=last_comment_at, first_response_due=now,
                                 first_response_risk_at=now, resolution_due=now, resolution_risk_at=now)
        session.add(request)
        session.flush()
        return request.id


def test_resolved_requests_close_by_themselves_after_the_days_without_an_answer(database, monkeypatch):
    monkeypatch.setenv("PORTAL_SUPPORT_AUTO_CLOSE_DAYS", "7")
    settings = SupportSettings.load()
    now = datetime(2026, 12, 20, 12, tzinfo=timezone.utc)
    old = _seed(database, moves.RESOLVED, now - timedelta(days=8))
    recent = _seed(database, moves.RESOLVED, now - timedelta(days=6))
    answered = _seed(database, moves.RESOLVED, now - timedelta(days=9), last_comment_at=now - timedelta(days=2))
    open_one = _seed(database, moves.IN_PROGRESS, now - timedelta(days=30))
    job = auto_close_job(database, settings, now=lambda: now)
    job.run()
    with database.sessions() as session:
        statuses = {r.id: r.status for r in session.scalars(select(SupportRequest))}
        [move] = session.scalars(select(RequestMove).where(RequestMove.request_id == old)).all()
    assert statuses == {old: "closed", recent: "resolved", answered: "resolved", open_one: "in_progress"}
    assert (move.actor_kind, move.from_status, move.to_status) == ("system", "resolved", "closed")
    with database.transaction() as session:
        assert auto_close(session, now, settings) == 0  # a second run finds nothing


def test_the_migrations_build_the_models_tables(database):
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []

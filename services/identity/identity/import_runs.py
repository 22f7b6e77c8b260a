"""identity's worker side of the CSV import: it claims queued imports atomically and creates the
users of their good lines chunk by chunk, with progress, resumption and the final report.

Good lines become users with an activation mail (queued as UserCreated events: no password is
hashed); every address with an account anywhere is refused here (``user_exists``), without
saying where it lives.
"""
from __future__ import annotations

import json
import logging
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.db import Database, utcnow
from portalkit.signed_identity import Identity

from . import audit_trail, csv_format, tokens
from .accounts import activation_event, user_row
from .events import add_many, outbox, recipient
from .imports import mark_existing, rejection
from .models import Company, User, UserImport
from .settings import IdentitySettings

log = logging.getLogger(__name__)
# The mail lists the first 100 rejections; the event carries enough for that, not 20,000.
REJECTIONS_IN_EVENT = 1000


def process_pending(database: Database, settings: IdentitySettings) -> int:
    """Run every queued import (and any whose worker died midway); return how many ran."""
    ran = 0
    while (job_id := _claim(database, settings)) is not None:
        try:
            run(database, settings, job_id)
        except Exception:  # noqa: BLE001 - one bad import must not stop the others
            log.exception("import %s failed", job_id)
            with database.transaction() as session:
                session.execute(update(UserImport).where(UserImport.id == job_id)
                                .values(status="failed", finished_at=utcnow()))
        ran += 1
    return ran


def _claim(database: Database, settings: IdentitySettings) -> str | None:
    now = utcnow()
    claimable = or_(UserImport.status == "queued",
                    (UserImport.status == "running")
                    & (UserImport.heartbeat_at < now - timedelta(seconds=settings.import_stale_seconds)))
    with database.transaction() as session:
        job_id = session.scalar(select(UserImport.id).where(claimable).order_by(UserImport.created_at).limit(1))
        if job_id is None:
            return None
        # Of two workers, only one turns it to running.
        claimed = session.execute(update(UserImport).where(UserImport.id == job_id, claimable)
                                  .values(status="running", started_at=now, heartbeat_at=now)).rowcount
    return job_id if claimed == 1 else _claim(database, settings)


def run(database: Database, settings: IdentitySettings, job_id: str) -> None:
    """Create the users of the import's good lines, a chunk per transaction, from where it stopped."""
    with database.sessions() as session:
        job = session.get(UserImport, job_id)
        lines = csv_format.judge(csv_format.read_lines(job.content, settings.import_max_lines))
        done = job.processed
    for start in range(done, len(lines), settings.import_chunk_lines):
        chunk = lines[start:start + settings.import_chunk_lines]
        for attempt in range(3):
            try:
                with database.transaction() as session:
                    _create_chunk(session, settings, session.get(UserImport, job_id), chunk)
                break
            except IntegrityError:  # an address was taken meanwhile: checked again on the retry
                for line in chunk:
                    line.reason = line.reason if line.reason != "user_exists" else None
                if attempt == 2:
                    raise
    with database.transaction() as session:
        _finish(session, session.get(UserImport, job_id))


def _create_chunk(session: Session, settings: IdentitySettings, job: UserImport, chunk: list) -> None:
    mark_existing(session, chunk)
    company = session.get(Company, job.company_id)
    users = [user_row(company.id, line.values) for line in chunk if line.reason is None]
    if users:
        # Core inserts in batches: an import is thousands of rows, the ORM's unit of work is not needed.
        session.execute(insert(User), users)
        links = tokens.issue_many(session, [user["id"] for user in users], "activation", settings.activation_days_delta)
        add_many(session, "UserCreated", [activation_event(SimpleNamespace(**user), company.name, *links[user["id"]])
                                          for user in users])
    rejected = json.loads(job.rejected) + [rejection(line) for line in chunk if line.reason]
    job.rejected, job.processed = json.dumps(rejected), job.processed + len(chunk)
    job.created, job.heartbeat_at = job.created + len(users), utcnow()


def _finish(session: Session, job: UserImport) -> None:
    job.status, job.finished_at, job.content = "done", utcnow(), ""
    importer = session.get(User, job.importer_id)
    rejected = json.loads(job.rejected)
    if importer is not None:
        outbox.add(session, "UsersImported", {
            **recipient(importer), "import_id": job.id, "company_id": job.company_id, "total": job.total,
            "created": job.created,
            "rejected": [{"line": r["line"], "reason": r["reason"]} for r in rejected[:REJECTIONS_IN_EVENT]]})
    audit_trail.record(session, Identity(user_id=job.importer_id), "import_finished", job.company_id, job.id,
                       job.file_name, created=job.created, rejected=len(rejected))

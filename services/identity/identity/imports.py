"""Use cases of the CSV import of users: the dry run, the upload, the background processing (in
identity's worker) with its progress and report, and the import history.

Nothing is created when the file is refused as a whole (400 not CSV, 413 too large). Good lines
become users with an activation mail (queued as UserCreated events: no password is hashed);
bad lines are reported with their line number and reason, and the report is mailed at the end.
"""
from __future__ import annotations

import json
import logging
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.db import Database, utcnow
from portalkit.errors import PortalError, not_found
from portalkit.signed_identity import Identity

from . import access, audit_trail, csv_format, tokens
from .accounts import activation_event, user_row
from .events import add_many, outbox, recipient
from .models import Company, User, UserImport
from .settings import IdentitySettings

log = logging.getLogger(__name__)
# The mail lists the first 100 rejections; the event carries enough for that, not 20,000.
REJECTIONS_IN_EVENT = 1000


def _read(settings: IdentitySettings, raw: bytes) -> tuple[str, list[csv_format.Line]]:
    """The file's text and its judged lines; the refusals of the file as a whole (400, 413)."""
    if len(raw) > settings.import_max_bytes:
        raise PortalError(413, "too_large", f"The file is larger than {settings.import_max_bytes // 1024 // 1024} MB.",
                          {"file": ["too large"]})
    content = csv_format.decode(raw)
    return content, csv_format.judge(csv_format.read_lines(content, settings.import_max_lines))


def _mark_existing(session: Session, lines: list[csv_format.Line]) -> None:
    emails = [line.values["email"] for line in lines if line.reason is None]
    existing: set[str] = set()
    for start in range(0, len(emails), 1000):
        existing.update(session.scalars(select(User.email).where(User.email.in_(emails[start:start + 1000]))))
    for line in lines:
        if line.reason is None and line.values["email"] in existing:
            line.reason = "user_exists"


def dry_run(session: Session, settings: IdentitySettings, identity: Identity, raw: bytes,
            company_id: str | None) -> dict:
    """The report the import would give, creating nothing."""
    access.target_company(session, identity, company_id)
    _content, lines = _read(settings, raw)
    _mark_existing(session, lines)
    rejected = [_rejection(line) for line in lines if line.reason]
    return {"id": None, "status": "dry_run", "total": len(lines), "processed": len(lines), "created": 0,
            "accepted": len(lines) - len(rejected), "rejected": [_shown(r) for r in rejected]}


def start(session: Session, settings: IdentitySettings, identity: Identity, raw: bytes, file_name: str,
          company_id: str | None) -> UserImport:
    """Check the file as a whole and queue it for identity's worker."""
    company = access.target_company(session, identity, company_id)
    content, lines = _read(settings, raw)
    job = UserImport(company_id=company, importer_id=identity.user_id, file_name=(file_name or "")[:200],
                     content=content, total=len(lines))
    session.add(job)
    session.flush()
    audit_trail.record(session, identity, "import_started", company, job.id, job.file_name, total=len(lines))
    session.commit()
    return job


def report(session: Session, identity: Identity, import_id: str) -> dict:
    return _report(_administered(session, identity, import_id))


def history(session: Session, identity: Identity, query: dict) -> tuple[list[dict], int]:
    condition = UserImport.company_id.in_(access.scope(session, identity, query.get("company")))
    total = session.scalar(select(func.count()).select_from(UserImport).where(condition))
    rows = session.scalars(select(UserImport).where(condition).order_by(UserImport.created_at.desc(), UserImport.id)
                           .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"]))
    return [{**_report(job), "rejected": []} for job in rows], total


def rejected_lines(session: Session, identity: Identity, import_id: str) -> list[list[str]]:
    """The refused lines as they were in the file, the reason in a last column, to correct."""
    job = _administered(session, identity, import_id)
    return [[*rejection.get("cells", []), *[""] * (len(csv_format.COLUMNS) - len(rejection.get("cells", []))),
             csv_format.REASONS.get(rejection["reason"], rejection["reason"])]
            for rejection in json.loads(job.rejected)]


def _administered(session: Session, identity: Identity, import_id: str) -> UserImport:
    job = session.get(UserImport, import_id) if len(import_id) <= 32 else None
    if job is None or job.company_id not in access.administered_companies(session, identity):
        raise not_found("import")
    return job


# --- the worker's side --------------------------------------------------------------------
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
    _mark_existing(session, chunk)
    company = session.get(Company, job.company_id)
    users = [user_row(company.id, line.values) for line in chunk if line.reason is None]
    if users:
        # Core inserts in batches: an import is thousands of rows, the ORM's unit of work is not needed.
        session.execute(insert(User), users)
        links = tokens.issue_many(session, [user["id"] for user in users], "activation", settings.activation_days_delta)
        add_many(session, "UserCreated", [activation_event(SimpleNamespace(**user), company.name, *links[user["id"]])
                                          for user in users])
    rejected = json.loads(job.rejected) + [_rejection(line) for line in chunk if line.reason]
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


def _rejection(line: csv_format.Line) -> dict:
    return {"line": line.number, "reason": line.reason, "cells": line.cells[:len(csv_format.COLUMNS) + 2]}


def _shown(rejection: dict) -> dict:
    return {"line": rejection["line"], "reason": rejection["reason"],
            "message": csv_format.REASONS.get(rejection["reason"], "")}


def _report(job: UserImport) -> dict:
    return {"id": job.id, "status": job.status, "company_id": job.company_id, "file_name": job.file_name,
            "total": job.total, "processed": job.processed, "created": job.created,
            "rejected": [_shown(r) for r in json.loads(job.rejected)], "created_at": job.created_at,
            "started_at": job.started_at, "finished_at": job.finished_at}

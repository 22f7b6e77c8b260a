"""Use cases of the CSV import of users on the administrator's side: the dry run (a preview
identity keeps), starting it, the direct upload, the report and the import history.

Nothing is created when the file is refused as a whole (400 not CSV, 413 too large). Good lines
become users in identity's worker (``import_runs``); bad lines are reported with their line
number and reason. A dry run tells which addresses exist only among the companies the caller
administers: another company's (or an operator's) looks new until the real import refuses it.
"""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.errors import PortalError, not_found
from portalkit.signed_identity import Identity

from . import access, audit_trail, csv_format
from .models import User, UserImport
from .settings import IdentitySettings

# A preview is not an import yet: the history leaves previews out, kept or forgotten.
PREVIEW, EXPIRED = "preview", "expired"


def read_file(settings: IdentitySettings, raw: bytes) -> tuple[str, list[csv_format.Line]]:
    """The file's text and its judged lines; the refusals of the file as a whole (400, 413)."""
    if len(raw) > settings.import_max_bytes:
        raise PortalError(413, "too_large", f"The file is larger than {settings.import_max_bytes // 1024 // 1024} MB.",
                          {"file": ["too large"]})
    content = csv_format.decode(raw)
    return content, csv_format.judge(csv_format.read_lines(content, settings.import_max_lines))


def mark_existing(session: Session, lines: list[csv_format.Line], among: set[str] | None = None) -> None:
    """Refuse (``user_exists``) the good lines whose address has an account; with ``among``,
    only an account of one of those companies counts."""
    emails = [line.values["email"] for line in lines if line.reason is None]
    existing: set[str] = set()
    for start in range(0, len(emails), 1000):
        rows = session.execute(select(User.email, User.company_id).where(User.email.in_(emails[start:start + 1000])))
        existing.update(email for email, company_id in rows if among is None or company_id in among)
    for line in lines:
        if line.reason is None and line.values["email"] in existing:
            line.reason = "user_exists"


def preview(session: Session, settings: IdentitySettings, identity: Identity, raw: bytes, file_name: str,
            company_id: str | None) -> dict:
    """Judge the file, creating no one, and keep it for ``start_preview`` a while: the report
    with the lines that would be created."""
    company = access.target_company(session, identity, company_id)
    content, lines = read_file(settings, raw)
    mark_existing(session, lines, among=access.administered_companies(session, identity))
    job = UserImport(company_id=company, importer_id=identity.user_id, file_name=(file_name or "")[:200],
                     content=content, total=len(lines), status=PREVIEW,
                     rejected=json.dumps([rejection(line) for line in lines if line.reason]),
                     expires_at=utcnow() + timedelta(minutes=settings.import_preview_minutes))
    session.add(job)
    session.commit()
    good = [line for line in lines if line.reason is None]
    return {**_report(job), "accepted": len(good), "preview": [_previewed(line) for line in good]}


def start_preview(session: Session, settings: IdentitySettings, identity: Identity, import_id: str) -> dict:
    """Queue a kept preview as the upload of its file would be: same importer, same company,
    every check made again (its lines by the worker, as for any import)."""
    job = _administered(session, identity, import_id)
    if job.importer_id != identity.user_id:
        raise not_found("import")
    if job.status not in (PREVIEW, EXPIRED):
        raise PortalError(409, "import_started", "This import has already been started.")
    if job.status == EXPIRED or job.expires_at <= utcnow():
        _forget(job)
        session.commit()
        raise PortalError(410, "preview_expired", "The checked file is no longer kept: choose it again.")
    total = len(csv_format.judge(csv_format.read_lines(job.content, settings.import_max_lines)))
    # Of two concurrent starts, one queues it; the other is told it has started.
    queued = session.execute(update(UserImport).where(UserImport.id == job.id, UserImport.status == PREVIEW)
                             .values(status="queued", total=total, rejected="[]", expires_at=None)).rowcount
    if queued != 1:
        session.rollback()
        raise PortalError(409, "import_started", "This import has already been started.")
    audit_trail.record(session, identity, "import_started", job.company_id, job.id, job.file_name, total=total)
    session.commit()
    session.refresh(job)
    return _report(job)


def start(session: Session, settings: IdentitySettings, identity: Identity, raw: bytes, file_name: str,
          company_id: str | None) -> dict:
    """Check the file as a whole and queue it for identity's worker."""
    company = access.target_company(session, identity, company_id)
    content, lines = read_file(settings, raw)
    job = UserImport(company_id=company, importer_id=identity.user_id, file_name=(file_name or "")[:200],
                     content=content, total=len(lines))
    session.add(job)
    session.flush()
    audit_trail.record(session, identity, "import_started", company, job.id, job.file_name, total=len(lines))
    session.commit()
    return _report(job)


def forget_expired_previews(session: Session) -> int:
    """Empty the previews past their time (the worker's periodic job); return how many."""
    forgotten = session.execute(update(UserImport).where(UserImport.status == PREVIEW,
                                                         UserImport.expires_at <= utcnow())
                                .values(status=EXPIRED, content="")).rowcount
    session.commit()
    return forgotten


def report(session: Session, identity: Identity, import_id: str) -> dict:
    return _report(_administered(session, identity, import_id))


def history(session: Session, identity: Identity, query: dict) -> tuple[list[dict], int]:
    condition = (UserImport.company_id.in_(access.scope(session, identity, query.get("company")))
                 & UserImport.status.not_in((PREVIEW, EXPIRED)))
    total = session.scalar(select(func.count()).select_from(UserImport).where(condition))
    rows = session.scalars(select(UserImport).where(condition).order_by(UserImport.created_at.desc(), UserImport.id)
                           .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"]))
    return [{**_report(job), "rejected": []} for job in rows], total


def rejected_lines(session: Session, identity: Identity, import_id: str) -> list[list[str]]:
    """The refused lines as they were in the file, the reason in a 9th column (the cells past the
    format's 8 after it), to correct and import again as it is."""
    job = _administered(session, identity, import_id)
    columns = len(csv_format.COLUMNS)
    rows = []
    for refused in json.loads(job.rejected):
        cells = refused.get("cells", [])
        rows.append([*cells[:columns], *[""] * (columns - len(cells[:columns])),
                     csv_format.REASONS.get(refused["reason"], refused["reason"]), *cells[columns:]])
    return rows


def _administered(session: Session, identity: Identity, import_id: str) -> UserImport:
    job = session.get(UserImport, import_id) if len(import_id) <= 32 else None
    if job is None or job.company_id not in access.administered_companies(session, identity):
        raise not_found("import")
    return job


def _forget(job: UserImport) -> None:
    job.status, job.content = EXPIRED, ""


def rejection(line: csv_format.Line) -> dict:
    """A refused line as kept in ``user_imports.rejected``: number, reason code, cells as read."""
    return {"line": line.number, "reason": line.reason, "cells": line.cells[:len(csv_format.COLUMNS) + 2]}


def _previewed(line: csv_format.Line) -> dict:
    values = line.values
    return {"line": line.number, "email": values["email"], "title": values["title"],
            "last_name": values["last_name"], "first_name": values["first_name"], "phone": values["office_phone"],
            "mobile": values["mobile_phone"], "language": values["language"],
            "security_level": values["security_level"]}


def _shown(rejection: dict) -> dict:
    return {"line": rejection["line"], "reason": rejection["reason"],
            "message": csv_format.REASONS.get(rejection["reason"], "")}


def _report(job: UserImport) -> dict:
    expired = job.status == EXPIRED or (job.status == PREVIEW and job.expires_at <= utcnow())
    return {"id": job.id, "status": EXPIRED if expired else job.status, "company_id": job.company_id,
            "file_name": job.file_name, "total": job.total, "processed": job.processed, "created": job.created,
            "rejected": [_shown(r) for r in json.loads(job.rejected)], "created_at": job.created_at,
            "started_at": job.started_at, "finished_at": job.finished_at, "expires_at": job.expires_at}

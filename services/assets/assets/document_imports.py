"""Bulk uploads of documents: a ZIP of PDFs with a CSV index (``document_index``).

The operator's request streams the ZIP into the file store (and a local temporary copy, never into
memory), checks it is a ZIP with one readable index, and queues the job. assets' worker then takes
each line in its own transaction: the member is read in chunks into a temporary file, its size
checked against what the ZIP declares and the limit (zip bombs), checked to be a PDF, stored, and
the document recorded with the job's progress — a line is stored whole or refused with its reason.
Once every line is done, one ``DocumentPublished`` per company tells its documents (one digest mail).
"""
from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from collections import defaultdict
from datetime import timedelta
from typing import BinaryIO

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.db import Database, utcnow
from portalkit.errors import PortalError, not_found
from portalkit.filestore import FileStore, StoredFile

from . import document_index, documents
from .document_files import CHUNK, is_pdf, spool
from .document_settings import DocumentSettings
from .models import Company, Document, DocumentImport

log = logging.getLogger(__name__)
MAX_INDEX_BYTES = 5 * 1024 * 1024


def local_copy() -> BinaryIO:
    """Where the request's ZIP is copied as it streams (on disk: it may be gigabytes)."""
    return tempfile.TemporaryFile(prefix="document-import-")


def _index_lines(archive: zipfile.ZipFile, settings: DocumentSettings) -> list[document_index.Line]:
    members = [info for info in archive.infolist()
               if not info.is_dir() and info.filename.lower().endswith(".csv")
               and not info.filename.startswith("__MACOSX/")]
    if len(members) != 1:
        raise document_index.refusal("no_index" if not members else "several_indexes",
                                     "The ZIP must hold exactly one CSV index (.csv) beside the PDFs.")
    info = members[0]
    if info.file_size > MAX_INDEX_BYTES:
        raise PortalError(413, "index_too_large", "The CSV index is larger than 5 MB.", {"file": ["index too large"]})
    try:
        with archive.open(info) as handle:
            raw = handle.read(MAX_INDEX_BYTES + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError):
        raise document_index.refusal("bad_index", "The CSV index cannot be read from the ZIP.") from None
    if len(raw) > MAX_INDEX_BYTES:
        raise PortalError(413, "index_too_large", "The CSV index is larger than 5 MB.", {"file": ["index too large"]})
    return document_index.read_lines(document_index.decode(raw), settings.import_max_lines)


def _open_zip(handle: BinaryIO, settings: DocumentSettings) -> zipfile.ZipFile:
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise document_index.refusal("not_a_zip", "The file is not a ZIP archive.") from None
    if len(archive.infolist()) > 2 * settings.import_max_lines + 10:
        raise document_index.refusal("too_many_files", "The ZIP holds more files than its index may name.")
    return archive


def queue(session: Session, settings: DocumentSettings, copy: BinaryIO, stored: StoredFile, file_name: str,
          operator_id: str | None) -> DocumentImport:
    """Check the uploaded ZIP and its index, and queue the job for the worker."""
    with _open_zip(copy, settings) as archive:
        total = len(_index_lines(archive, settings))
    job = DocumentImport(file_key=stored.key, file_name=file_name[:255], size=stored.size, total=total,
                         created_by=operator_id)
    session.add(job)
    session.commit()
    return job


def find(session: Session, import_id: str) -> DocumentImport:
    job = session.get(DocumentImport, import_id)
    if job is None:
        raise not_found("import")
    return job


def report(job: DocumentImport) -> dict:
    return {"id": job.id, "status": job.status, "file_name": job.file_name, "total": job.total,
            "created": job.created, "error": job.error, "created_at": job.created_at,
            "finished_at": job.finished_at,
            "rejected": [{**item, "message": document_index.REASONS.get(item["reason"], "")}
                         for item in json.loads(job.rejected)]}


def history(session: Session, query: dict) -> dict:
    total = session.scalar(select(func.count()).select_from(DocumentImport))
    jobs = session.scalars(select(DocumentImport).order_by(DocumentImport.created_at.desc(), DocumentImport.id)
                           .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"]))
    return {"items": [report(job) for job in jobs], "total": total}


# The worker's side.

def process_pending(database: Database, store: FileStore, settings: DocumentSettings) -> int:
    """Run every queued bulk upload (and any whose worker died midway); return how many ran."""
    ran = 0
    while (job_id := _claim(database, settings)) is not None:
        try:
            run(database, store, settings, job_id)
        except Exception:  # noqa: BLE001 - one bad upload must not stop the others
            log.exception("document import %s failed", job_id)
            with database.transaction() as session:
                job = session.get(DocumentImport, job_id)
                # What was stored before the failure is stored whole: it is told all the same.
                _finish(session, job, "failed")
                job.error = "internal_error"
        ran += 1
    return ran


def _claim(database: Database, settings: DocumentSettings) -> str | None:
    now = utcnow()
    claimable = or_(DocumentImport.status == "queued",
                    (DocumentImport.status == "running")
                    & (DocumentImport.heartbeat_at < now - timedelta(seconds=settings.import_stale_seconds)))
    with database.transaction() as session:
        job_id = session.scalar(select(DocumentImport.id).where(claimable).order_by(DocumentImport.created_at)
                                .limit(1))
        if job_id is None:
            return None
        # Of two workers, only one turns it to running.
        claimed = session.execute(update(DocumentImport).where(DocumentImport.id == job_id, claimable)
                                  .values(status="running", started_at=now, heartbeat_at=now)).rowcount
    return job_id if claimed == 1 else _claim(database, settings)


def run(database: Database, store: FileStore, settings: DocumentSettings, job_id: str) -> None:
    """Store the documents of the job's good lines, one line a transaction, from where it stopped."""
    with database.sessions() as session:
        job = session.get(DocumentImport, job_id)
        key, done = job.file_key, job.processed
    with local_copy() as handle:
        for chunk in store.open(key):
            handle.write(chunk)
        with _open_zip(handle, settings) as archive:
            lines = document_index.judge(_index_lines(archive, settings))
            members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
            with database.sessions() as session:
                numbers = _companies(session, {line.values["company_number"] for line in lines if line.values})
            for line in lines[done:]:
                _take(database, store, settings, archive, members, numbers, job_id, line)
    with database.transaction() as session:
        _finish(session, session.get(DocumentImport, job_id))
    store.delete(key)


def _companies(session: Session, numbers: set[str]) -> dict[str, Company]:
    found: dict[str, Company] = {}
    wanted = sorted(numbers)
    for start in range(0, len(wanted), 500):
        for company in session.scalars(select(Company).where(Company.number.in_(wanted[start:start + 500]))):
            found[company.number] = company
    return found


def _take(database: Database, store: FileStore, settings: DocumentSettings, archive: zipfile.ZipFile,
          members: dict, numbers: dict[str, Company], job_id: str, line: document_index.Line) -> None:
    """Store one line's document, or record why it is refused, with the job's progress."""
    stored = None
    if line.reason is None:
        company = numbers.get(line.values["company_number"])
        info = _member(members, line.values["file_name"])
        if company is None:
            line.reason = "unknown_company"
        elif info is None:
            line.reason = "missing_file"
        else:
            line.values["company_id"] = company.id
            with database.sessions() as session:
                if documents.exists(session, company.id, line.values["kind"], line.values["number"]):
                    line.reason = "document_exists"
            if line.reason is None:
                stored, line.reason = _store_member(store, settings, archive, info)
    try:
        with database.transaction() as session:
            job = session.get(DocumentImport, job_id)
            if stored is not None:
                session.add(documents.new_document(line.values, stored, _base_name(line.values["file_name"]),
                                                   job.created_by, import_id=job_id))
                session.flush()
                job.created += 1
            else:
                job.rejected = json.dumps(json.loads(job.rejected) + [{"line": line.number, "reason": line.reason}])
            job.processed += 1
            job.heartbeat_at = utcnow()
    except IntegrityError:  # the number was taken meanwhile
        store.delete(stored.key)
        line.reason = "document_exists"
        with database.transaction() as session:
            job = session.get(DocumentImport, job_id)
            job.rejected = json.dumps(json.loads(job.rejected) + [{"line": line.number, "reason": line.reason}])
            job.processed += 1
    except BaseException:
        if stored is not None:
            store.delete(stored.key)
        raise


def _member(members: dict, name: str):
    """The ZIP's file of that name (a name without folders also finds it in a folder, when only one has it)."""
    if name in members:
        return members[name]
    matches = [info for path, info in members.items() if path.rsplit("/", 1)[-1] == name]
    return matches[0] if len(matches) == 1 else None


def _base_name(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1] or "document.pdf"


def _store_member(store: FileStore, settings: DocumentSettings, archive: zipfile.ZipFile,
                  info: zipfile.ZipInfo) -> tuple[StoredFile | None, str | None]:
    """Copy the member aside in chunks (its real size checked against the declared one and the limit),
    check it is a PDF, and store it: the stored file, or why not."""
    if info.flag_bits & 0x1:
        return None, "bad_zip_member"  # encrypted
    if info.file_size > settings.max_bytes:
        return None, "too_large"
    with spool() as copy:
        size = 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    size += len(chunk)
                    if size > info.file_size:
                        return None, "bad_zip_member"  # more than it declared: a bomb's trick
                    if size > settings.max_bytes:
                        return None, "too_large"
                    copy.write(chunk)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
            return None, "bad_zip_member"
        if size != info.file_size:
            return None, "bad_zip_member"
        if not is_pdf(copy):
            return None, "not_a_pdf"
        copy.seek(0)
        return store.put(iter(lambda: copy.read(CHUNK), b""), prefix="documents", max_size=settings.max_bytes), None


def _finish(session: Session, job: DocumentImport, status: str = "done") -> None:
    """Done (or failed): one ``DocumentPublished`` per company for all its new documents."""
    by_company: dict[str, list[Document]] = defaultdict(list)
    for document in session.scalars(select(Document).where(Document.import_id == job.id)
                                    .order_by(Document.company_id, Document.issued_on, Document.number)):
        by_company[document.company_id].append(document)
    for company_id, items in by_company.items():
        documents.tell(session, session.get(Company, company_id), items, batch_id=job.id)
    job.status, job.finished_at = status, utcnow()
    if status == "done":
        job.file_key = None

"""Import users from a CSV file: the format, a dry run previewed line by line, then the import's report.

The checked file waits in ``var/import-uploads`` (named after a random id and the administrator's
session) so that "Import" sends exactly what was previewed without asking for it again.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from portalkit.settings import var_dir

from . import administration, calls, csrf, visitor
from .administration import administrator_page

bp = Blueprint("imports", __name__)
csrf.protect(bp)

MAX_BYTES = 5 * 1024 * 1024
PREVIEW_LINES = 200
KEEP_SECONDS = 3600
COLUMN_NAMES = (lazy_gettext("Civility"), lazy_gettext("Last name"), lazy_gettext("First name"),
                lazy_gettext("E-mail address"), lazy_gettext("Office phone"), lazy_gettext("Mobile phone"),
                lazy_gettext("Language code"), lazy_gettext("Password security level"))
REASONS = {
    "too_many_columns": lazy_gettext("too many columns"),
    "missing_columns": lazy_gettext("missing columns"),
    "bad_email": lazy_gettext("the e-mail address is not valid"),
    "duplicate_in_file": lazy_gettext("this e-mail address is already on another line of the file"),
    "user_exists": lazy_gettext("an account already uses this e-mail address"),
    "unknown_civility": lazy_gettext("unknown civility (M, MME or MLE)"),
    "bad_name": lazy_gettext("the name is not valid"),
    "bad_phone": lazy_gettext("the phone number is not valid"),
    "unknown_language": lazy_gettext("unknown language code"),
    "bad_level": lazy_gettext("the security level is not 1, 2 or 3"),
}


def reason_text(rejection: dict) -> str:
    """A refused line's reason in the page's language (identity's message for a code not known here)."""
    return str(REASONS.get(rejection.get("reason"), "")) or rejection.get("message") or rejection.get("reason") or ""


def _uploads() -> Path:
    folder = var_dir() / "import-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _owner() -> str:
    return hashlib.sha256((visitor.session_token() or "").encode()).hexdigest()[:16]


def _keep(data: bytes) -> str:
    folder = _uploads()
    for old in folder.glob("*.csv"):
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    upload_id = secrets.token_hex(16)
    (folder / f"{_owner()}-{upload_id}.csv").write_bytes(data)
    return upload_id


def _kept(upload_id: str) -> Path | None:
    if not upload_id.isalnum() or len(upload_id) != 32:
        return None
    path = _uploads() / f"{_owner()}-{upload_id}.csv"
    return path if path.exists() else None


def _send(data: bytes, file_name: str, company_id: str, dry_run: bool):
    """POST /identity/imports as multipart, as a browser would."""
    boundary = uuid.uuid4().hex
    parts = []
    fields = {"dry_run": "true" if dry_run else "false"}
    if company_id:
        fields["company_id"] = company_id
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    safe_name = "".join(c for c in file_name if c.isalnum() or c in "._- ")[:100] or "users.csv"
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{safe_name}"\r\n'
                 f"Content-Type: text/csv\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return calls.identity("POST", "/identity/imports", body=b"".join(parts),
                          headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})


def _companies() -> list:
    if not administration.is_supervisor(visitor.current_user()):
        return []
    return (calls.optional("/identity/companies") or {}).get("items") or []


def _form(error=None, status=200, company_id=""):
    return render_template("import.html", error=error, companies=_companies(),
                           company_id=company_id), status


def _refusal(status: int, body) -> str:
    code = calls.error_code(body)
    messages = {
        "too_large": gettext("The file is larger than 5 MB. Split it and import each part."),
        "too_many_lines": gettext("The file has more than 20,000 lines. Split it and import each part."),
        "not_csv": gettext("This file is not a CSV text file. Save it as CSV (semicolon separated) and try again."),
        "empty_file": gettext("The file is empty."),
        "csv_separator": gettext("The first line has no “;” or “,”: this does not look like the import format."),
    }
    if code in messages:
        return messages[code]
    if status == 413:
        return messages["too_large"]
    if status == 400:
        return gettext("The file was not accepted. Check its format against the description below.")
    abort(404 if status == 404 else 503)


@bp.route("/administration/users/import", methods=["GET"])
@administrator_page
def form():
    """The format of the file, and the file picker."""
    return _form()


@bp.route("/administration/users/import", methods=["POST"])
@administrator_page
def check():
    """Check the chosen file without creating anyone, and show what each line would give."""
    upload = request.files.get("file")
    company_id = request.form.get("company_id", "")[:32]
    if upload is None or not upload.filename:
        return _form(gettext("Choose the file to import."), 400, company_id)
    data = upload.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return _form(_refusal(413, None), 413, company_id)
    status, report = _send(data, upload.filename, company_id, dry_run=True)
    if status != 200 or not isinstance(report, dict):
        return _form(_refusal(status, report), 413 if status == 413 else 400, company_id)
    rejected = {item.get("line"): item for item in report.get("rejected") or []}
    return render_template("import_preview.html", report=report, rows=preview_rows(data, rejected),
                           upload_id=_keep(data), file_name=upload.filename[:200], company_id=company_id,
                           column_names=COLUMN_NAMES, reason_text=reason_text)


def preview_rows(data: bytes, rejected: dict) -> list[dict]:
    """The file's first lines as cells, each with what the dry run said of it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    lines = text.splitlines()
    separator = ";" if ";" in (lines[0] if lines else "") else ","
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=separator), start=1):
        if number > PREVIEW_LINES:
            break
        if not any(cell.strip() for cell in cells):
            continue
        if number == 1 and len(cells) > 3 and "@" not in cells[3] and re.search("mail|courriel", cells[3], re.I):
            continue  # the column names, as identity recognises them
        rows.append({"line": number, "cells": cells[:len(COLUMN_NAMES)], "rejection": rejected.get(number)})
    return rows


@bp.route("/administration/users/import/run", methods=["POST"])
@administrator_page
def run():
    """Import the checked file for good: it runs in the background, its report page follows it."""
    path = _kept(request.form.get("upload_id", ""))
    if path is None:
        return _form(gettext("The checked file is no longer available. Choose it again."), 400)
    data = path.read_bytes()
    status, answer = _send(data, request.form.get("file_name", "users.csv"), request.form.get("company_id", "")[:32],
                           dry_run=False)
    if status not in (200, 201, 202) or not isinstance(answer, dict) or not answer.get("id"):
        return _form(_refusal(status, answer), 400)
    path.unlink(missing_ok=True)
    return redirect("/administration/imports/" + quote(str(answer["id"]), safe=""))


@bp.route("/administration/imports/<import_id>")
@administrator_page
def report(import_id):
    """The import's progress, then its per-line report."""
    answer = calls.fetch("/identity/imports/" + quote(import_id, safe=""))
    running = answer.get("status") in ("queued", "running")
    return render_template("import_report.html", report=answer, running=running, reason_text=reason_text,
                           rejected_csv=f"/api/identity/imports/{quote(import_id, safe='')}/rejected.csv")

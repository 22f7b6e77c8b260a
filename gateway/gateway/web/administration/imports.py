"""Import users from a CSV file: the format, a dry run previewed line by line, then the import's report.

identity keeps the checked file: its dry run is an import in "preview" whose answer lists the lines,
and "Import" starts that import by its id. The gateway keeps nothing (any replica serves any step).
"""
from __future__ import annotations

import uuid
from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, rights, space_blueprint, visitor
from ..common.rights import administrator_page

bp = space_blueprint("imports", __name__)

MAX_BYTES = 5 * 1024 * 1024
PREVIEW_LINES = 200
# The file's columns, in its order, and the field of identity's preview each one is read into.
PREVIEW_FIELDS = ("title", "last_name", "first_name", "email", "phone", "mobile", "language", "security_level")
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


def _check_with_identity(data: bytes, file_name: str, company_id: str):
    """POST /identity/imports with ``dry_run=true`` as multipart, as a browser would: identity keeps
    the file as an import in "preview" and answers what each line would give."""
    boundary = uuid.uuid4().hex
    parts = []
    fields = {"dry_run": "true"}
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
    if not rights.is_supervisor(visitor.current_user()):
        return []
    return (calls.optional("/identity/companies") or {}).get("items") or []


def _form(error=None, status=200, company_id=""):
    return render_template("administration/import.html", error=error, companies=_companies(),
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
    """The format of the file, and the file picker (on the company named, from the associates screen)."""
    return _form(company_id=(request.args.get("company") or "")[:32])


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
    status, report = _check_with_identity(data, upload.filename, company_id)
    if status not in (200, 202) or not isinstance(report, dict) or not report.get("id"):
        return _form(_refusal(status, report), 413 if status == 413 else 400, company_id)
    rows = preview_rows(report)
    rejected = len(report.get("rejected") or [])
    total = _count(report.get("total"))
    return render_template("administration/import_preview.html", report=report, rows=rows,
                           import_id=str(report["id"]), file_name=upload.filename[:200], total=total,
                           accepted=max(total - rejected, 0), refused=rejected,
                           shown_all=len(rows) >= total, column_names=COLUMN_NAMES, reason_text=reason_text)


def preview_rows(report: dict) -> list[dict]:
    """The lines of identity's preview, each with its cells in the file's order or why it is refused."""
    rows = {}
    for item in report.get("preview") or []:
        if isinstance(item, dict) and isinstance(item.get("line"), int):
            cells = ["" if item.get(name) is None else str(item.get(name)) for name in PREVIEW_FIELDS]
            rows[item["line"]] = {"line": item["line"], "cells": cells, "rejection": None}
    for item in report.get("rejected") or []:
        if isinstance(item, dict) and isinstance(item.get("line"), int):
            rows[item["line"]] = {"line": item["line"], "cells": [], "rejection": item}
    return [rows[line] for line in sorted(rows)][:PREVIEW_LINES]


def _count(value) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


@bp.route("/administration/users/import/run", methods=["POST"])
@administrator_page
def run():
    """Start the checked import for good: it runs in the background, its report page follows it."""
    import_id = request.form.get("import_id", "").strip()
    if not import_id or len(import_id) > 64:
        return _form(gettext("The checked file is no longer available. Choose it again."), 400)
    status, answer = calls.identity("POST", _import_path(import_id) + "/start")
    code = calls.error_code(answer)
    if status == 202 or status == 409 and code == "import_started":
        # Started now, or by an earlier click of the same button: either way its report follows it.
        return redirect(_report_url(import_id))
    if status == 410:  # identity keeps a preview for a while only
        return _form(gettext("The checked file is no longer available. Choose it again."), 410)
    abort(404 if status == 404 else 503)


def _import_path(import_id: str) -> str:
    return "/identity/imports/" + quote(import_id, safe="")


def _report_url(import_id: str) -> str:
    return "/administration/imports/" + quote(import_id, safe="")


@bp.route("/administration/imports/<import_id>")
@administrator_page
def report(import_id):
    """The import's progress, then its per-line report."""
    answer = calls.fetch(_import_path(import_id))
    running = answer.get("status") in ("queued", "running")
    return render_template("administration/import_report.html", report=answer, running=running,
                           reason_text=reason_text, rejected_csv=f"/api/identity/imports/{quote(import_id, safe='')}/rejected.csv")

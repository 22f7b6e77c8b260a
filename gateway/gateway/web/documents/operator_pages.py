"""The operators' documents in the back office (``/operator/documents``): every company's documents,
searched and paged; the form publishing one PDF; the bulk upload form (streamed on by
``bulk_upload``) and a bulk upload's report, line by line."""
from __future__ import annotations

import uuid

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, space_blueprint
from ..common.csrf import token as csrf_token
from ..common.pager import last_page_of, page_number, pager, url_with
from ..common.rights import operator_page
from .pages import KIND_NAMES, day_text, money, size_text

bp = space_blueprint("operator_documents", __name__)

LIST_PATH = "/operator/documents"
PER_PAGE = 10
FIELDS = ("company_number", "kind", "number", "issued_on", "amount", "currency", "intervention")
REASONS = {
    "missing_columns": lazy_gettext("the line has fewer than the 7 columns of the index"),
    "too_many_columns": lazy_gettext("the line has more than 8 columns"),
    "unbalanced_quote": lazy_gettext("a quote is not closed on this line"),
    "unknown_company": lazy_gettext("no company has this number"),
    "unknown_kind": lazy_gettext("unknown kind of document"),
    "bad_number": lazy_gettext("the document number is missing or not valid"),
    "bad_date": lazy_gettext("the date is not valid (YYYY-MM-DD or DD/MM/YYYY)"),
    "bad_amount": lazy_gettext("the amount is missing or not valid"),
    "bad_currency": lazy_gettext("the currency is missing or not valid"),
    "bad_intervention": lazy_gettext("the intervention is not valid"),
    "duplicate_in_file": lazy_gettext("an earlier line has the same company, kind and number"),
    "document_exists": lazy_gettext("the company already has this document"),
    "missing_file": lazy_gettext("the ZIP holds no file of this name"),
    "file_used_twice": lazy_gettext("an earlier line names the same file"),
    "not_a_pdf": lazy_gettext("the file is not a PDF"),
    "too_large": lazy_gettext("the file is too large"),
    "bad_zip_member": lazy_gettext("the file cannot be read from the ZIP"),
}
ZIP_REFUSALS = {
    "not_a_zip": lazy_gettext("This file is not a ZIP archive."),
    "no_index": lazy_gettext("The ZIP holds no CSV index: add one (.csv) beside the PDFs."),
    "several_indexes": lazy_gettext("The ZIP holds several CSV files: keep only the index."),
    "csv_separator": lazy_gettext("The index's first line has no “;” or “,”: this does not look like the index format."),
    "empty_index": lazy_gettext("The index is empty."),
    "index_not_csv": lazy_gettext("The index is not a CSV text file (UTF-8 or Windows-1252)."),
    "too_many_lines": lazy_gettext("The index has too many lines: split the upload."),
    "too_large": lazy_gettext("The ZIP is larger than the size accepted: split the upload."),
}
DONE = {"published": lazy_gettext("The document has been published; its holders are told by e-mail.")}


def reason_text(rejection: dict) -> str:
    return str(REASONS.get(rejection.get("reason"), "")) or rejection.get("message") or rejection.get("reason") or ""


def _criteria(args) -> dict:
    return {"company": (args.get("company") or "").strip()[:40],
            "kind": args.get("kind") if args.get("kind") in KIND_NAMES else "",
            "number": (args.get("number") or "").strip()[:64]}


def render_page(values: dict | None = None, errors: dict | None = None, bulk_error: str | None = None,
                status: int = 200):
    """The list, the upload form and the bulk upload form (with what was refused of them)."""
    criteria = _criteria(request.args)
    page = page_number(request.args.get("page"))
    answer_status, answer = calls.call("assets", "GET", LIST_PATH, query={
        "company_number": criteria["company"] or None, "kind": criteria["kind"] or None,
        "number": criteria["number"] or None, "page": page, "per_page": PER_PAGE})
    if answer_status == 403:
        abort(403)
    if answer_status != 200 or not isinstance(answer, dict):
        abort(503)
    total = answer.get("total") or 0
    if page > last_page_of(total, PER_PAGE) and status == 200 and request.method == "GET":
        return redirect(url_with(LIST_PATH, criteria, last_page_of(total, PER_PAGE)))
    done = DONE.get(request.args.get("done", ""))
    return render_template("documents/operator_documents.html", items=answer.get("items") or [], criteria=criteria,
                           kinds=KIND_NAMES, kind_names=KIND_NAMES, money=money, day_text=day_text,
                           size_text=size_text, pager=pager(LIST_PATH, criteria, page, total, PER_PAGE),
                           filtered=any(criteria.values()), values=values or {"kind": "invoice"},
                           errors=errors or {}, bulk_error=bulk_error, done=str(done) if done else None,
                           bulk_action=f"/operator/documents/imports?csrf_token={csrf_token()}"), status


@bp.route(LIST_PATH)
@operator_page
def index():
    """Every company's documents, newest first; the forms publishing one, or many from a ZIP."""
    return render_page()


def _multipart(fields: dict, file_name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value.encode()
             + b"\r\n" for name, value in fields.items() if value]
    safe_name = "".join(c for c in file_name if c.isprintable() and c not in '"\\\r\n')[:200] or "document.pdf"
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{safe_name}"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), boundary


@bp.route(LIST_PATH, methods=["POST"])
@operator_page
def publish():
    """Publish one PDF for a company (named by its number)."""
    values = {name: (request.form.get(name) or "").strip()[:64] for name in FIELDS}
    values["currency"] = values["currency"].upper()
    values["amount"] = values["amount"].replace(" ", "").replace(",", ".")
    upload = request.files.get("file")
    errors = {name: gettext("This field is required.") for name in ("company_number", "number", "issued_on")
              if not values[name]}
    if values["kind"] not in KIND_NAMES:
        errors["kind"] = gettext("Choose a kind.")
    if upload is None or not upload.filename:
        errors["file"] = gettext("Choose the PDF file.")
    if errors:
        return render_page(values, errors, status=400)
    priced = values["kind"] in ("invoice", "credit")
    sent = {**values, **({"intervention": ""} if priced else {"amount": "", "currency": ""})}
    body, boundary = _multipart(sent, upload.filename, upload.stream.read())
    status, answer = calls.call("assets", "POST", LIST_PATH, body=body,
                                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    if status == 201:
        return redirect(f"{LIST_PATH}?done=published", 303)
    return render_page(values, _refusal(status, answer), status=status if status in (400, 409, 413) else 400)


def _refusal(status: int, answer) -> dict:
    code = calls.error_code(answer)
    if code == "not_a_pdf":
        return {"file": gettext("This file is not a PDF document.")}
    if status == 413:
        return {"file": gettext("This file is larger than the size accepted.")}
    if code == "unknown_company":
        return {"company_number": gettext("No company has this number.")}
    if code == "document_exists":
        return {"number": gettext("This company already has a document of this kind with this number.")}
    if status == 400:
        fields = calls.error_fields(answer)
        known = {"company_id": "company_number", **{name: name for name in FIELDS}}
        errors = {known[name]: gettext("This value is not accepted.") for name in fields if name in known}
        return errors or {"file": gettext("The document was not accepted.")}
    abort(503)


@bp.route(LIST_PATH + "/imports/<import_id>")
@operator_page
def import_report(import_id):
    """A bulk upload's progress, then its report: what was stored, and each refused line with its reason."""
    status, report = calls.call("assets", "GET", f"{LIST_PATH}/imports/{import_id}")
    if status in (403, 404):
        abort(status)
    if status != 200 or not isinstance(report, dict):
        abort(503)
    return render_template("documents/operator_import.html", report=report, reason_text=reason_text,
                           running=report.get("status") in ("queued", "running"))

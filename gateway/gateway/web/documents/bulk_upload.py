"""The bulk upload form's POST (``/operator/documents/imports``): the browser's multipart body is
streamed on to assets as it arrives, never parsed nor held here (a ZIP of PDFs is far larger than
the pages' 8 MiB body limit). Its CSRF token therefore rides in the form's address, checked before
a byte of the body is read."""
from __future__ import annotations

import json

from flask import Blueprint, abort, redirect, request

from gateway import seams
from portalkit.signed_identity import HEADER

from ..common import calls, csrf
from ..common.rights import operator_page
from .operator_pages import ZIP_REFUSALS, render_page

bp = Blueprint("operator_documents_bulk", __name__)
PATH = "/operator/documents/imports"
CHUNK = 256 * 1024
# What the gateway lets through to assets, which keeps its own exact limit (PORTAL_ASSETS_DOCUMENT_IMPORT_MAX_BYTES).
MAX_BODY = 5 * 1024 ** 3


def _chunks(stream):
    while chunk := stream.read(CHUNK):
        yield chunk


@bp.route(PATH, methods=["POST"])
@operator_page
def bulk_upload():
    """Send the chosen ZIP to assets as it streams; on to its report page once queued."""
    csrf.check_token(request.args.get(csrf.FIELD) or "")
    if request.mimetype != "multipart/form-data" or request.content_length is None:
        return render_page(bulk_error=str(ZIP_REFUSALS["not_a_zip"]), status=400)
    if request.content_length > MAX_BODY:
        return render_page(bulk_error=str(ZIP_REFUSALS["too_large"]), status=413)
    request.max_content_length = MAX_BODY
    upstream = seams.current().upstream
    headers = {"Content-Type": request.headers["Content-Type"], "Content-Length": str(request.content_length),
               "Accept": "application/json", HEADER: upstream.signer.header(calls.visitor_identity())}
    response = upstream.open("assets", "POST", PATH, headers, _chunks(request.stream))
    try:
        data = response.read()
    finally:
        response.release_conn()
    try:
        answer = json.loads(data) if data else None
    except ValueError:
        answer = None
    if response.status == 202 and isinstance(answer, dict) and answer.get("id"):
        return redirect(f"{PATH}/{answer['id']}", 303)
    if response.status == 403:
        abort(403)
    code = calls.error_code(answer)
    if response.status in (400, 413, 415):
        message = ZIP_REFUSALS.get(code) or (ZIP_REFUSALS["too_large"] if response.status == 413
                                             else ZIP_REFUSALS["not_a_zip"])
        return render_page(bulk_error=str(message), status=response.status if response.status != 415 else 400)
    abort(503)

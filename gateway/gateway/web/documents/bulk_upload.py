"""The bulk upload form's POST (``/operator/documents/imports``): the browser's multipart body is
streamed on to assets as it arrives, never parsed nor held here (a ZIP of PDFs is far larger than
the pages' 8 MiB body limit; ``common.streamed_forms``). Its CSRF token therefore rides in the form's
address, checked before a byte of the body is read."""
from __future__ import annotations

from flask import Blueprint, abort, redirect

from ..common import calls, streamed_forms
from ..common.rights import operator_page
from .operator_pages import ZIP_REFUSALS, render_page

bp = Blueprint("operator_documents_bulk", __name__)
PATH = "/operator/documents/imports"
# What the gateway lets through to assets, which keeps its own exact limit (PORTAL_ASSETS_DOCUMENT_IMPORT_MAX_BYTES).
MAX_BODY = 5 * 1024 ** 3


@bp.route(PATH, methods=["POST"])
@operator_page
def bulk_upload():
    """Send the chosen ZIP to assets as it streams; on to its report page once queued."""
    try:
        sent = streamed_forms.forward("assets", PATH, MAX_BODY)
    except streamed_forms.Unreadable:
        return render_page(bulk_error=str(ZIP_REFUSALS["not_a_zip"]), status=400)
    except streamed_forms.TooLarge:
        return render_page(bulk_error=str(ZIP_REFUSALS["too_large"]), status=413)
    answer = sent.answer if isinstance(sent.answer, dict) else None
    if sent.status == 202 and answer and answer.get("id"):
        return redirect(f"{PATH}/{answer['id']}", 303)
    if sent.status == 403:
        abort(403)
    code = calls.error_code(answer)
    if sent.status in (400, 413, 415):
        message = ZIP_REFUSALS.get(code) or (ZIP_REFUSALS["too_large"] if sent.status == 413
                                             else ZIP_REFUSALS["not_a_zip"])
        return render_page(bulk_error=str(message), status=sent.status if sent.status != 415 else 400)
    abort(503)

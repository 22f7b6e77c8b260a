"""The support forms that carry attachments — a new request, a comment — whose multipart bodies
stream on to support as they arrive (``common.streamed_forms``: never parsed nor held here, their
CSRF token in the form's address). A refused file shows support's refusal naming it."""
from __future__ import annotations

from flask import Blueprint, abort, redirect
from flask_babel import gettext

from gateway import seams

from ..common import calls, streamed_forms, visitor
from . import new_request, request_page, words

bp = Blueprint("support_streamed", __name__)


def _limit() -> int:
    # support keeps the exact limits (count and size of the attachments); the gateway's is the ceiling.
    return seams.current().settings.max_upload_bytes


def refusal(status: int, answer) -> dict:
    """support's refusal of a submission, in the page's words, by field (``form`` for the whole)."""
    if status == 400 and calls.error_code(answer) == "file_refused":
        named = (calls.error_fields(answer).get("attachments") or [""])[0]
        return {"attachments": gettext("The file %(name)s is refused: its content is not of an accepted kind "
                                       "(documents, images, archives, plain text).",
                                       name=str(named).split(": ", 1)[0])}
    if status == 413:
        return {"attachments": gettext("A file is larger than support accepts, or there are too many files.")}
    if status == 400:
        fields = calls.error_fields(answer)
        if "attachments" in fields:
            return {"attachments": gettext("Too many files: send fewer at once.")}
        errors = {name: str(new_request.MESSAGES.get(name) or gettext("This value is not accepted."))
                  for name in fields if name in new_request.MESSAGES or name == "body"}
        return errors or {"form": gettext("The form could not be read: choose the files again, then send.")}
    if status == 415:
        return {"form": gettext("The form could not be read: choose the files again, then send.")}
    if status == 403:
        abort(403)
    if status == 404:
        abort(404)
    abort(503)


@bp.route("/support/requests", methods=["POST"])
@visitor.signed_in_page
def open_request():
    """Open the request: the form streams on to support; on to the request's page once numbered."""
    new_request.needs_request_service()
    unreadable = {"form": gettext("The form could not be read: choose the files again, then send.")}
    try:
        sent = streamed_forms.forward("support", "/support/requests", _limit(), new_request.FIELDS)
    except streamed_forms.Unreadable:
        return new_request.render_form({}, unreadable, 400)
    except streamed_forms.TooLarge:
        return new_request.render_form({}, refusal(413, None), 413)
    if sent.status == 201 and isinstance(sent.answer, dict) and sent.answer.get("id"):
        return redirect(words.request_path(sent.answer["id"]) + "?done=opened", 303)
    errors = refusal(sent.status, sent.answer)
    return new_request.render_form(sent.values, errors, 400 if sent.status == 415 else sent.status)


@bp.route("/support/requests/<request_id>/comments", methods=["POST"])
@visitor.signed_in_page
def comment(request_id):
    """Write in the request's thread, with attachments; back to the request."""
    try:
        sent = streamed_forms.forward("support", f"{words.request_path(request_id)}/comments", _limit(), ("body",))
    except streamed_forms.Unreadable:
        return request_page.render_request(request_id, {"form": gettext(
            "The form could not be read: choose the files again, then send.")}, status=400)
    except streamed_forms.TooLarge:
        return request_page.render_request(request_id, refusal(413, None), status=413)
    if sent.status == 201:
        return redirect(words.request_path(request_id) + "?done=commented#thread", 303)
    errors = refusal(sent.status, sent.answer)
    return request_page.render_request(request_id, errors, sent.values, 400 if sent.status == 415 else sent.status)

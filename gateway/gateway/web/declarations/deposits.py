"""The declarant's deposit page (``/declarations/deposit``): the upload form, whose body streams on
to the declarations service (``common.streamed_forms``), the refusal in plain words (the service's
message, in the declarant's language, with the segment at fault), and the newest deposits, each
linked to its page (``following``)."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request
from flask_babel import gettext

from portalkit.uploads import FORM_OVERHEAD

from gateway import seams

from ..common import calls, space_blueprint, streamed_forms
from . import declarant
from .following import STATUSES

PATH = "/declarations/deposit"
bp = space_blueprint("declarations_deposits", __name__)
# The form's POST checks its CSRF token in its address (streamed_forms), not in its body.
streamed = Blueprint("declarations_streamed", __name__)


def _deposits() -> list | None:
    """The newest deposits of the declarant's entities; None when they cannot be had."""
    status, body = calls.call("declarations", "GET", "/declarations/deposits", query={"per_page": 50},
                              identity=declarant.identity())
    listed = body.get("items") if status == 200 and isinstance(body, dict) else None
    return listed if isinstance(listed, list) else None


def render(refusal: dict | None = None, status: int = 200):
    return render_template("declarations/deposit.html", deposits=_deposits(), refusal=refusal, statuses=STATUSES,
                           action=streamed_forms.action(PATH), done=request.args.get("done")), status


@bp.route(PATH, methods=["GET"])
@declarant.declarative_page
def deposit_form():
    """The upload form and the declarant's deposits."""
    return render()


def _faults(fields: dict) -> list[dict]:
    """Every fault the service's checks found (``fields.faults``), each with its message and place."""
    listed = fields.get("faults")
    if not isinstance(listed, list):
        return []
    return [{"message": str(fault.get("message") or ""),
             "location": fault.get("location") if isinstance(fault.get("location"), dict) else None}
            for fault in listed if isinstance(fault, dict)]


def _refusal(status: int, answer) -> dict:
    """What the page says of a refused deposit: the service's words and where the fault is (every
    fault, when the checks found more than one)."""
    if status in (400, 409) and isinstance(answer, dict):
        error = answer.get("error") or {}
        fields = calls.error_fields(answer)
        location = fields.get("location")
        if error.get("code") == "invalid_input":
            return {"message": gettext("Choose the file of your declaration, then deposit it.")}
        return {"message": error.get("message") or "", "location": location if isinstance(location, dict) else None,
                "faults": _faults(fields)}
    if status == 413:
        return {"message": gettext("The file is larger than the declarative portal accepts.")}
    if status == 415:
        return {"message": gettext("The form could not be read: choose the file again, then deposit it.")}
    abort(503)


@streamed.route(PATH, methods=["POST"])
@declarant.declarative_page
def deposit():
    """Deposit: the form streams on to the service; back to the page with the deposit or its refusal."""
    try:
        # declarations' limit of a filing (the same variable) and the form's overhead: a larger body
        # is refused before a byte is forwarded.
        limit = seams.current().settings.deposit_max_bytes + FORM_OVERHEAD
        sent = streamed_forms.forward("declarations", "/declarations/deposits", limit, identity=declarant.identity())
    except streamed_forms.Unreadable:
        return render(_refusal(415, None), 400)
    except streamed_forms.TooLarge:
        return render(_refusal(413, None), 413)
    if sent.status == 201 and isinstance(sent.answer, dict):
        return redirect(f"{PATH}?done={sent.answer.get('id', '')}", 303)
    if sent.status == 401:
        return declarant.close_session(redirect(declarant.SIGN_IN_PATH))
    return render(_refusal(sent.status, sent.answer), sent.status if sent.status in (400, 409, 413) else 400)

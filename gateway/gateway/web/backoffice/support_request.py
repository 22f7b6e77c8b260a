"""One support request in the back office (``/operator/support/<id>``): fields, clock, thread (internal
notes marked), history, attachments, and the operators' forms — answer or internal note with files
(streamed on, ``common.streamed_forms``), the status moves support allows, the assignment."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from gateway import seams

from ..common import calls, space_blueprint, streamed_forms, visitor
from ..common.sizes import size_text
from .access import call, operator_page, read
from .support_labels import CLOCK_STATES, SEVERITIES, STATUSES, operators_by_id

bp = space_blueprint("backoffice_support_request", __name__)
# The answer's POST streams its body on unread (its CSRF token rides in the address).
answers = Blueprint("backoffice_support_answer", __name__, template_folder="templates")

PATH = "/operator/support"
ANSWER_FIELDS = ("body", "internal")
DONE = {"answered": ("success", lazy_gettext("The answer has been sent to the client.")),
        "noted": ("success", lazy_gettext("The internal note has been saved: the client does not see it.")),
        "moved": ("success", lazy_gettext("The status has been changed.")),
        "assigned": ("success", lazy_gettext("The assignment has been saved.")),
        "move_not_allowed": ("error", lazy_gettext("This status cannot be reached from the current one.")),
        "not_an_operator": ("error", lazy_gettext("Choose an operator of the list."))}


def _api(request_id: str) -> str:
    return f"{PATH}/requests/{quote(request_id, safe='')}"


def _page_of(request_id: str) -> str:
    return f"{PATH}/{quote(request_id, safe='')}"


def _name(person: dict | None, operators: dict) -> str:
    """An operator by their display name (identity's list: support keeps no directory of operators
    and tells operators the author's id; clients read "Support"), a client by theirs."""
    person = person or {}
    if person.get("kind") == "operator":
        operator = operators.get(person.get("user_id") or "")
        return (operator or {}).get("display_name") or person.get("name") or gettext("Support")
    if person.get("kind") == "system":
        return gettext("The portal")
    return person.get("name") or person.get("user_id") or ""


def _render(request_id: str, values: dict, errors: dict, status: int = 200):
    found = read("support", _api(request_id))
    operators = operators_by_id()
    done = DONE.get(request.args.get("done", "")) if status == 200 else None
    choices = [(operator_id, operator.get("display_name") or operator_id)
               for operator_id, operator in operators.items() if operator.get("status") != "disabled"]
    return render_template(
        "backoffice/support_request.html", item=found, operators=operators, me=visitor.current_user().user_id,
        statuses=STATUSES, severities=SEVERITIES, clock_states=CLOCK_STATES, name=lambda p: _name(p, operators),
        assignees=choices, values=values, errors=errors, size_text=size_text,
        message=(done[0], str(done[1])) if done else None,
        answer_action=streamed_forms.action(_page_of(request_id) + "/answers")), status


@bp.route(PATH + "/<request_id>")
@operator_page
def show(request_id):
    """The request with its whole thread, history, clock and the operators' forms."""
    return _render(request_id, {}, {})


@bp.route(PATH + "/<request_id>/status", methods=["POST"])
@operator_page
def move(request_id):
    """Move the request to one of the statuses support allows from its current one."""
    target = request.form.get("status") or ""
    if target not in STATUSES:
        return _render(request_id, {}, {"status": gettext("Choose a status.")}, 400)
    status, body = call("support", "POST", _api(request_id) + "/status", json={"status": target})
    if status == 404:
        abort(404)
    if status == 409:
        return redirect(_page_of(request_id) + "?done=move_not_allowed", 303)
    if status != 200:
        abort(503)
    return redirect(_page_of(request_id) + "?done=moved", 303)


@bp.route(PATH + "/<request_id>/assign", methods=["POST"])
@operator_page
def assign(request_id):
    """Assign the request to oneself, to another operator of identity's list, or to no one."""
    wanted = request.form.get("assignee") or ""
    if wanted == "me":
        wanted = visitor.current_user().user_id
    elif wanted and wanted not in operators_by_id():
        return redirect(_page_of(request_id) + "?done=not_an_operator", 303)
    status, _ = call("support", "POST", _api(request_id) + "/assign", json={"assignee_id": wanted or None})
    if status == 404:
        abort(404)
    if status != 200:
        abort(503)
    return redirect(_page_of(request_id) + "?done=assigned", 303)


def _refused(status: int, answer) -> dict:
    """The errors to show on the answer's form for support's refusal."""
    code = calls.error_code(answer)
    if status == 413:
        return {"attachments": gettext("A file is larger than support accepts.")}
    if status == 400 and code == "file_refused":
        message = ((answer or {}).get("error") or {}).get("message") or ""
        return {"attachments": gettext("This file is refused: %(reason)s", reason=message)}
    if status == 400 and "body" in calls.error_fields(answer):
        return {"body": gettext("Write the answer: at most 20,000 characters.")}
    if status == 400 and "attachments" in calls.error_fields(answer):
        return {"attachments": gettext("Too many files: send fewer at once.")}
    if status in (400, 415):
        return {"form": gettext("The form could not be read: choose the files again, then send.")}
    if status in (403, 404):
        abort(status)
    abort(503)


@answers.route(PATH + "/<request_id>/answers", methods=["POST"])
@operator_page
def answer(request_id):
    """Answer the client, or write an internal note (the checkbox), with attachments: the form's
    body streams on to support unread, never held whole in memory."""
    limit = seams.current().settings.max_upload_bytes
    try:
        sent = streamed_forms.forward("support", _api(request_id) + "/answers", limit, ANSWER_FIELDS)
    except streamed_forms.Unreadable:
        return _render(request_id, {}, {"form": gettext("The form could not be read: choose the files again, "
                                                        "then send.")}, 400)
    except streamed_forms.TooLarge as error:
        return _render(request_id, error.values, {"attachments": gettext("The files weigh more than %(size)s.",
                                                                         size=size_text(limit))}, 413)
    if sent.status == 201:
        internal = (sent.values.get("internal") or "").lower() in ("1", "on", "true", "yes")
        return redirect(_page_of(request_id) + ("?done=noted" if internal else "?done=answered"), 303)
    return _render(request_id, sent.values, _refused(sent.status, sent.answer), sent.status)

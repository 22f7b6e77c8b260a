"""``/support/requests/<id>``: a request as its requester's side sees it — number, subject, product,
severity, status and clock, the thread in order (attachments through the API's streamed route), the
history of moves, the followers (the requester adds colleagues support lists), the comment form and the decisions
support allows (resolve, close, reopen). Another company's request is the 404 page."""
from __future__ import annotations

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, space_blueprint, streamed_forms, visitor
from . import words

bp = space_blueprint("support_request", __name__)
DONE = {"opened": lazy_gettext("Your request has been registered: quote its number when you call us."),
        "commented": lazy_gettext("Your comment has been added to the request."),
        "resolved": lazy_gettext("The request is marked as resolved."),
        "closed": lazy_gettext("The request is closed."),
        "reopened": lazy_gettext("The request is reopened: support takes it up again."),
        "followed": lazy_gettext("The colleagues now follow the request.")}


def _colleagues(request_id: str) -> list[tuple[str, str]]:
    """The colleagues who may still be added as followers: support lists them (activated users of
    the request's company) to those who add them — the requester, the request administrators."""
    status, listed = calls.call("support", "GET", words.request_path(request_id) + "/colleagues",
                                query={"per_page": 200})
    if status != 200 or not isinstance(listed, dict):
        return []
    return [(colleague["user_id"], colleague.get("name") or colleague["user_id"])
            for colleague in listed.get("items") or [] if isinstance(colleague, dict) and colleague.get("user_id")]


def render_request(request_id: str, errors: dict | None = None, values: dict | None = None, status: int = 200):
    shown = words.read(words.request_path(request_id))
    user = visitor.current_user()
    may_decide = bool(shown.get("allowed_moves")) or (shown.get("requester") or {}).get("user_id") == user.user_id
    done = DONE.get(request.args.get("done", ""))
    return render_template(
        "support/request.html", shown=shown, statuses=words.STATUSES, severities=words.SEVERITIES,
        decisions=[(target, *words.DECISIONS[target]) for target in shown.get("allowed_moves") or []
                   if target in words.DECISIONS],
        colleagues=_colleagues(request_id) if may_decide else [], errors=errors or {}, values=values or {},
        message=str(done) if done else None, path=words.request_path(request_id),
        comment_action=streamed_forms.action(words.request_path(request_id) + "/comments")), status


@bp.route("/support/requests/<request_id>")
@visitor.signed_in_page
def show(request_id):
    """The request, its thread, history, followers and the decisions open to the visitor."""
    return render_request(request_id)


@bp.route("/support/requests/<request_id>/<action>", methods=["POST"])
@visitor.signed_in_page
def decide(request_id, action):
    """Resolve, close or reopen the request (the buttons support's answer allowed)."""
    targets = {name: target for target, (name, _label) in words.DECISIONS.items()}
    if action not in targets:
        abort(404)
    status, answer = calls.call("support", "POST", f"{words.request_path(request_id)}/{action}")
    if status in (403, 404):
        abort(status)
    if status == 409:
        return render_request(request_id, {"decision": gettext("This decision is no longer possible for this request.")},
                              status=409)
    if status != 200:
        abort(503)
    return redirect(f"{words.request_path(request_id)}?done={targets[action]}", 303)


@bp.route("/support/requests/<request_id>/followers", methods=["POST"])
@visitor.signed_in_page
def follow(request_id):
    """Add the chosen colleagues as followers of the request."""
    user_ids = [value for value in request.form.getlist("user_ids") if value][:50]
    if not user_ids:
        return render_request(request_id, {"followers": gettext("Choose at least one colleague.")},
                              status=400)
    status, _ = calls.call("support", "POST", f"{words.request_path(request_id)}/followers",
                           json={"user_ids": user_ids})
    if status in (403, 404):
        abort(status)
    if status == 400:
        return render_request(request_id, {"followers": gettext("These colleagues cannot follow the request.")},
                              status=400)
    if status != 200:
        abort(503)
    return redirect(f"{words.request_path(request_id)}?done=followed", 303)

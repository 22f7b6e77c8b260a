"""Deciding access requests: a company's administrators decide theirs on
``/administration/access-requests`` (counted in the left bar), the operators any on
``/operator/access-requests`` (and name the company when none was found). Accepting creates the
account (identity mails the activation link); refusing mails the requester, with the reason."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, g, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, rights, space_blueprint, visitor
from ..common.pager import PER_PAGE, page_number, pager

bp = space_blueprint("access_decisions", __name__)

ADMIN_PATH, OPERATOR_PATH = "/administration/access-requests", "/operator/access-requests"
DONE = {"accepted": lazy_gettext("The account has been created: its activation e-mail is on its way."),
        "refused": lazy_gettext("The request has been refused: the requester is told by e-mail.")}
LEVELS = ((1, lazy_gettext("Weak")), (2, lazy_gettext("Moderate")), (3, lazy_gettext("Strong")))
ROUTED = ("administrators", "operators")


@bp.app_context_processor
def _left_bar():
    return {"access_requests_waiting": waiting_count}


def waiting_count() -> int | None:
    """How many requests wait for the visitor's decision (None when it cannot be said)."""
    if "access_requests_waiting" not in g:
        body = None
        if rights.is_administrator(visitor.current_user()):
            body = calls.optional("/identity/access-requests", {"per_page": 1})
        g.access_requests_waiting = body.get("total") if body else None
    return g.access_requests_waiting


@bp.route(ADMIN_PATH, methods=["GET"])
@rights.administrator_page
def administrators_list():
    """The access requests waiting for a decision in the companies the administrator manages."""
    return _render(ADMIN_PATH, "/identity/access-requests", {})


@bp.route(OPERATOR_PATH, methods=["GET"])
@rights.operator_page
def operators_list():
    """Every access request waiting for a decision; those no administrator got can be shown alone."""
    routed = request.args.get("routed_to", "")
    return _render(OPERATOR_PATH, "/operator/access-requests", {"routed_to": routed if routed in ROUTED else ""})


def _render(path: str, api: str, criteria: dict, error: str | None = None, status: int = 200):
    page = page_number(request.args.get("page"))
    body = calls.fetch(api, {**{k: v for k, v in criteria.items() if v}, "page": page, "per_page": PER_PAGE})
    return render_template("access/decisions.html", requests=body.get("items") or [], criteria=criteria,
                           pager=pager(path, criteria, page, body.get("total") or 0), path=path,
                           operators=path == OPERATOR_PATH, levels=LEVELS, error=error,
                           message=DONE.get(request.args.get("done", ""))), status


@bp.route(ADMIN_PATH + "/<request_id>/<decision>", methods=["POST"])
@rights.administrator_page
def administrators_decide(request_id, decision):
    """Accept or refuse a request of the administrator's company."""
    return _decide(ADMIN_PATH, "/identity/access-requests", request_id, decision)


@bp.route(OPERATOR_PATH + "/<request_id>/<decision>", methods=["POST"])
@rights.operator_page
def operators_decide(request_id, decision):
    """Accept (in the company named) or refuse any request."""
    return _decide(OPERATOR_PATH, "/operator/access-requests", request_id, decision)


def _decide(path: str, api: str, request_id: str, decision: str):
    if decision not in ("accept", "refuse"):
        abort(404)
    body = _decision_body(decision, path == OPERATOR_PATH)
    status, answer = calls.identity("POST", f"{api}/{quote(request_id, safe='')}/{decision}", json=body)
    if status == 200:
        return redirect(path + "?done=" + ("accepted" if decision == "accept" else "refused"))
    code = calls.error_code(answer)
    if status == 409:
        error = (gettext("An account already uses this e-mail address: refuse the request, the person can "
                         "sign in or use the forgotten password page.") if code == "user_exists"
                 else gettext("This request has been decided already."))
    elif status == 400 and ("company_number" in calls.error_fields(answer) or "company_id" in calls.error_fields(answer)):
        error = gettext("Enter the number of an existing company to create the account in.")
    elif status == 400:
        error = gettext("The decision could not be read: check the form.")
    else:
        abort(404 if status == 404 else 403 if status == 403 else 503)
    criteria = {"routed_to": ""} if path == OPERATOR_PATH else {}
    return _render(path, api, criteria, error, status)


def _decision_body(decision: str, operator: bool) -> dict:
    if decision == "refuse":
        reason = request.form.get("reason", "").strip()[:1000]
        return {"reason": reason} if reason else {}
    try:
        level = int(request.form.get("security_level", "2"))
    except ValueError:
        level = 2
    body = {"security_level": level if level in (1, 2, 3) else 2}
    number = request.form.get("company_number", "").strip()[:40]
    if operator and number:
        body["company_number"] = number
    return body

"""The administrator's users list: criteria, status icons, pager, row actions, activation mails, unlock."""
from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext, ngettext

from ..common import calls, rights, space_blueprint, visitor
from ..common.pager import last_page_of, page_number, pager, url_with
from ..common.rights import administrator_page

bp = space_blueprint("users", __name__)

PER_PAGE = 10
CRITERIA = ("q", "status", "function", "group", "company", "administrators")
STATUSES = {"active": lazy_gettext("Active"), "not_activated": lazy_gettext("Not activated"),
            "no_email": lazy_gettext("Error: no e-mail")}
LIST_PATH = "/administration/users"
# The lists an action on users may return to: the users list, and the third-party associates screen.
LISTS = (LIST_PATH, "/administration/associates")
DONE = {"created": lazy_gettext("The user has been created and an activation e-mail sent."),
        "saved": lazy_gettext("The user has been saved."),
        "deleted": lazy_gettext("The user has been deleted and informed by e-mail."),
        "unlocked": lazy_gettext("The account has been unlocked.")}


@bp.route("/administration")
@administrator_page
def administration_home():
    """The administration space opens on its users list."""
    return redirect(LIST_PATH)


def criteria_from(args) -> dict:
    values = {name: (args.get(name) or "").strip()[:200] for name in CRITERIA}
    if values["status"] not in STATUSES:
        values["status"] = ""
    values["administrators"] = "1" if values["administrators"] else ""
    return values


def list_url(criteria: dict, page: int = 1, **extra) -> str:
    return url_with(LIST_PATH, criteria, page, **extra)


@bp.route(LIST_PATH)
@administrator_page
def index():
    """List the users the administrator manages, filtered and paged."""
    criteria = criteria_from(request.args)
    page = page_number(request.args.get("page"))
    query = {name: value or None for name, value in criteria.items()}
    status, answer = calls.identity("GET", "/identity/users", query={**query, "page": page, "per_page": PER_PAGE})
    if status == 400:
        # A criterion identity refuses (e.g. a group of another company): start again without them.
        return redirect(LIST_PATH)
    if status in (403, 404):  # a company that is not the administrator's: not an outage
        abort(status)
    if status != 200 or not isinstance(answer, dict):
        abort(503)
    users, total = answer.get("items") or [], answer.get("total") or 0
    last_page = last_page_of(total, PER_PAGE)
    if page > last_page:
        return redirect(list_url(criteria, last_page))
    functions = (calls.optional("/identity/functions", {"company": criteria["company"] or None}) or {}).get("items")
    groups = (calls.optional("/identity/groups", {"company": criteria["company"] or None, "per_page": 200})
              or {}).get("items")
    companies = (calls.optional("/identity/companies") or {}).get("items") or []
    return render_template(
        "administration/users.html", users=users, pager=pager(LIST_PATH, criteria, page, total, PER_PAGE),
        criteria=criteria, statuses=STATUSES, functions=functions or [], groups=groups or [],
        companies=companies if rights.is_supervisor(visitor.current_user()) or len(companies) > 1 else [],
        here_list=list_url(criteria, page), message=outcome(), filtered=any(criteria.values()))


def outcome() -> tuple[str, str] | None:
    """The message of the action a list comes back from (its ``done``), or None."""
    done = request.args.get("done", "")
    if done in DONE:
        return "success", str(DONE[done])
    if done == "mails":
        sent, skipped = (_count(request.args.get(name)) for name in ("sent", "skipped"))
        text = ngettext("%(num)d activation e-mail sent.", "%(num)d activation e-mails sent.", sent)
        if skipped:
            text += " " + ngettext("%(num)d user skipped (already active or without e-mail).",
                                   "%(num)d users skipped (already active or without e-mail).", skipped)
        return "success", text
    if done == "none_selected":
        return "error", gettext("Select the users to send the activation e-mail to.")
    return None


def _count(value) -> int:
    return min(int(value), 100_000) if value and value.isdigit() else 0


def back_to_list(**extra) -> str:
    """The list the action came from (kept in the form's ``back`` field), with the action's outcome."""
    back = visitor.safe_next(request.form.get("back") or request.args.get("back"), LIST_PATH)
    if not any(back == path or back.startswith((path + "?", path + "/")) for path in LISTS):
        back = LIST_PATH
    if not extra:
        return back
    return back + ("&" if "?" in back else "?") + urlencode(extra)


@bp.route(LIST_PATH + "/activation-mails", methods=["POST"])
@administrator_page
def send_activation_mails():
    """Send (again) the activation e-mail to the selected users."""
    user_ids = [value for value in request.form.getlist("user_ids") if value][:1000]
    if not user_ids:
        return redirect(back_to_list(done="none_selected"))
    status, answer = calls.identity("POST", "/identity/users/activation-mails", json={"user_ids": user_ids})
    if status == 404:
        abort(404)
    if status not in (200, 202) or not isinstance(answer, dict):
        abort(503)
    return redirect(back_to_list(done="mails", sent=len(answer.get("sent") or []),
                                 skipped=len(answer.get("skipped") or [])))


@bp.route(LIST_PATH + "/<user_id>/unlock", methods=["POST"])
@administrator_page
def unlock(user_id):
    """Lift a lockout before its time."""
    status, _ = calls.identity("POST", f"/identity/users/{quote(user_id, safe='')}/unlock")
    if status == 404:
        abort(404)
    if status != 200:
        abort(503)
    return redirect(back_to_list(done="unlocked"))

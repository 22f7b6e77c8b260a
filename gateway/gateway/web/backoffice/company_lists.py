"""A company's lists in the back office: its users (find by name, e-mail or status; resend the
activation e-mail; unlock) and its administration trail, each with its criteria and pager."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import lazy_gettext, ngettext

from ..common import space_blueprint, visitor
from ..common.pager import last_page_of, page_number, pager, url_with
from .access import call, operator_page, read

bp = space_blueprint("backoffice_company_lists", __name__)

PER_PAGE = 10
STATUSES = {"active": lazy_gettext("Active"), "not_activated": lazy_gettext("Not activated"),
            "no_email": lazy_gettext("Error: no e-mail")}
# The trail's actions in the page's words (any other is shown by its code).
ACTIONS = {
    "company_registered": lazy_gettext("Company created"),
    "associate_linked": lazy_gettext("Associate linked"),
    "associate_unlinked": lazy_gettext("Associate unlinked"),
    "unlinked_from": lazy_gettext("Unlinked from its company"),
    "user_created": lazy_gettext("User created"),
    "user_updated": lazy_gettext("User modified"),
    "user_deleted": lazy_gettext("User deleted"),
    "user_unlocked": lazy_gettext("Account unlocked"),
    "activation_mail_sent": lazy_gettext("Activation e-mail sent"),
    "contract_recorded": lazy_gettext("Contract recorded"),
    "contract_end_scheduled": lazy_gettext("Contract's last day set"),
    "contract_ended": lazy_gettext("Contract ended"),
    "holding_recorded": lazy_gettext("Holding recorded"),
    "holding_changed": lazy_gettext("Holding modified"),
    "holding_removed": lazy_gettext("Holding removed"),
    "service_created": lazy_gettext("Company's own service created"),
    "service_updated": lazy_gettext("Company's own service modified"),
    "service_retired": lazy_gettext("Company's own service withdrawn"),
    "group_created": lazy_gettext("User group created"),
    "group_renamed": lazy_gettext("User group renamed"),
    "group_deleted": lazy_gettext("User group deleted"),
    "group_members_added": lazy_gettext("Users added to a group"),
    "group_member_removed": lazy_gettext("User removed from a group"),
    "import_started": lazy_gettext("User import started"),
    "import_finished": lazy_gettext("User import finished"),
    "contact_roles_changed": lazy_gettext("Contact roles changed"),
    "interest_set": lazy_gettext("Interest set"),
    "interest_cleared": lazy_gettext("Interest cleared"),
    "access_request_accepted": lazy_gettext("Access request accepted"),
    "access_request_refused": lazy_gettext("Access request refused"),
    "serialization_codes_issued": lazy_gettext("Serialization codes issued"),
    "identifier_change_requested": lazy_gettext("Identifier change requested"),
    "identifier_change_approved": lazy_gettext("Identifier change approved"),
    "identifier_change_refused": lazy_gettext("Identifier change refused"),
    "intervention_planned": lazy_gettext("Service planned"),
    "intervention_changed": lazy_gettext("Planned service changed"),
    "intervention_cancelled": lazy_gettext("Planned service cancelled"),
}
USERS_DONE = {"unlocked": lazy_gettext("The account has been unlocked."),
              "not_locked": lazy_gettext("This account was not locked."),
              "none_selected": lazy_gettext("Tick the users to send the activation e-mail to.")}


def _base(company_id: str) -> str:
    return "/operator/companies/" + quote(company_id, safe="")


def _company(company_id: str) -> dict:
    return read("identity", _base(company_id)).get("company") or {}


@bp.route("/operator/companies/<company_id>/users")
@operator_page
def users(company_id):
    """The company's users, found by name or e-mail and status, ten a page."""
    company = _company(company_id)
    criteria = {"q": (request.args.get("q") or "").strip()[:200],
                "status": request.args.get("status") if request.args.get("status") in STATUSES else ""}
    page = page_number(request.args.get("page"))
    path = _base(company_id) + "/users"
    answer = read("identity", path, {"q": criteria["q"] or None, "status": criteria["status"] or None,
                                     "page": page, "per_page": PER_PAGE})
    total = answer.get("total") or 0
    if page > last_page_of(total, PER_PAGE):
        return redirect(url_with(path, criteria, last_page_of(total, PER_PAGE)))
    return render_template("backoffice/company_users.html", company=company, users=answer.get("items") or [],
                           criteria=criteria, statuses=STATUSES, pager=pager(path, criteria, page, total, PER_PAGE),
                           here_list=url_with(path, criteria, page), message=_users_message(),
                           filtered=any(criteria.values()))


def _users_message():
    done = request.args.get("done", "")
    if done in USERS_DONE:
        return ("error" if done == "none_selected" else "success"), str(USERS_DONE[done])
    if done == "mails":
        sent = _count(request.args.get("sent"))
        return "success", ngettext("%(num)d activation e-mail sent.", "%(num)d activation e-mails sent.", sent)
    return None


def _count(value) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def _back(company_id: str, **extra) -> str:
    """The users list the form came from (its ``back`` field, this company's list only), with the outcome."""
    path = _base(company_id) + "/users"
    back = visitor.safe_next(request.form.get("back"), path)
    if back.partition("?")[0] != path:
        back = path
    query = "&".join(f"{key}={value}" for key, value in extra.items())
    return back + ("&" if "?" in back else "?") + query


@bp.route("/operator/companies/<company_id>/users/activation-mails", methods=["POST"])
@operator_page
def send_activation_mails(company_id):
    """Send the activation e-mail again to the ticked users."""
    user_ids = [value[:32] for value in request.form.getlist("user_ids") if value][:200]
    if not user_ids:
        return redirect(_back(company_id, done="none_selected"))
    status, body = call("identity", "POST", _base(company_id) + "/users/activation-mails", json={"user_ids": user_ids})
    if status == 404:
        abort(404)
    if status != 202 or not isinstance(body, dict):
        abort(503)
    return redirect(_back(company_id, done="mails", sent=len(body.get("sent") or [])))


@bp.route("/operator/companies/<company_id>/users/<user_id>/unlock", methods=["POST"])
@operator_page
def unlock(company_id, user_id):
    """Unlock an account locked after too many failed sign-ins."""
    status, _ = call("identity", "POST", f"{_base(company_id)}/users/{quote(user_id, safe='')}/unlock")
    if status == 404:
        abort(404)
    if status == 409:
        return redirect(_back(company_id, done="not_locked"))
    if status != 200:
        abort(503)
    return redirect(_back(company_id, done="unlocked"))


@bp.route("/operator/companies/<company_id>/trail")
@operator_page
def trail(company_id):
    """The company's administration trail, newest first, ten a page."""
    company = _company(company_id)
    criteria = {"action": request.args.get("action") if request.args.get("action") in ACTIONS else ""}
    page = page_number(request.args.get("page"))
    path = _base(company_id) + "/trail"
    answer = read("identity", path, {"action": criteria["action"] or None, "page": page, "per_page": PER_PAGE})
    total = answer.get("total") or 0
    if page > last_page_of(total, PER_PAGE):
        return redirect(url_with(path, criteria, last_page_of(total, PER_PAGE)))
    return render_template("backoffice/company_trail.html", company=company, entries=answer.get("items") or [],
                           criteria=criteria, actions=ACTIONS, pager=pager(path, criteria, page, total, PER_PAGE),
                           filtered=any(criteria.values()))

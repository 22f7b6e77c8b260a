"""Declarant accounts of the Etafi declarative portal in the back office: the list (criteria panel
and pager), a new account for a company with a SIREN (found by its number), revoking one and
mailing a new password link."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, space_blueprint
from ..common.pager import last_page_of, page_number, pager, url_with
from .access import call, operator_page, read

bp = space_blueprint("backoffice_declarants", __name__)

LIST_PATH = "/operator/declarants"
PER_PAGE = 25
FIELDS = {"company_number": 40, "login": 64, "email": 254, "first_name": 100, "last_name": 100}
ROLES = ("declarant", "supervisor")
STATUSES = ("active", "locked", "revoked")
DONE = {"issued": ("success", lazy_gettext("The account has been issued: its holder is mailed the link that sets "
                                           "its password.")),
        "revoked": ("success", lazy_gettext("The account has been revoked; its sessions have ended.")),
        "reset": ("success", lazy_gettext("A new password link has been mailed to the holder.")),
        "declarant_revoked": ("error", lazy_gettext("This account is revoked already."))}
REFUSALS = {"login_taken": ("login", lazy_gettext("Another declarant account has this login.")),
            "siren_missing": ("company_number", lazy_gettext("This company has no SIREN yet: set it first.")),
            "service_not_held": ("company_number", lazy_gettext("This user does not hold the role's service."))}


def _criteria() -> dict:
    return {"q": (request.args.get("q") or "").strip()[:200],
            "role": request.args.get("role") if request.args.get("role") in ROLES else "",
            "status": request.args.get("status") if request.args.get("status") in STATUSES else ""}


def _listing(values: dict, errors: dict, status: int = 200):
    criteria, page = _criteria(), page_number(request.args.get("page"))
    answer = read("identity", LIST_PATH, {"page": page, "per_page": PER_PAGE,
                                          **{key: value for key, value in criteria.items() if value}})
    total = answer.get("total") or 0
    if page > last_page_of(total, PER_PAGE):
        return redirect(url_with(LIST_PATH, criteria, last_page_of(total, PER_PAGE)))
    done = DONE.get(request.args.get("done", ""))
    return render_template("backoffice/declarants.html", declarants=answer.get("items") or [],
                           criteria=criteria, filtered=any(criteria.values()),
                           pager=pager(LIST_PATH, criteria, page, total, PER_PAGE), values=values, errors=errors,
                           roles=ROLES, statuses=STATUSES,
                           message=(done[0], str(done[1])) if done else None), status


@bp.route(LIST_PATH)
@operator_page
def index():
    """The declarant accounts, found by login, name or e-mail, role and status; the form of a new one."""
    return _listing({**{name: "" for name in FIELDS}, "role": "declarant", "language": "fr"}, {})


def _company_id(number: str) -> str | None:
    """The id of the company with exactly this number (the search finds it among those it matches)."""
    found = read("identity", "/operator/companies", {"q": number, "per_page": 200})
    return next((company["id"] for company in found.get("items") or [] if company.get("number") == number), None)


@bp.route(LIST_PATH, methods=["POST"])
@operator_page
def issue():
    """Issue an account for the company of the number given."""
    values = {name: (request.form.get(name) or "").strip()[:size] for name, size in FIELDS.items()}
    values["role"] = request.form.get("role") if request.form.get("role") in ROLES else "declarant"
    values["language"] = "en" if request.form.get("language") == "en" else "fr"
    errors = {name: gettext("This field is required.") for name in ("company_number", "login", "email")
              if not values[name]}
    company_id = _company_id(values["company_number"]) if values["company_number"] else None
    if values["company_number"] and company_id is None:
        errors["company_number"] = gettext("No company has this number.")
    if errors:
        return _listing(values, errors, 400)
    body = {key: values[key] for key in ("login", "email", "first_name", "last_name", "role", "language")}
    status, answer = call("identity", "POST", LIST_PATH, json={**body, "company_id": company_id})
    if status == 201:
        return redirect(LIST_PATH + "?done=issued")
    if status in (400, 409):
        field, text = REFUSALS.get(calls.error_code(answer), (None, None))
        if field:
            return _listing(values, {field: str(text)}, status)
        return _listing(values, {name: gettext("This value is not accepted.") for name in calls.error_fields(answer)
                                 if name in values} or {"login": gettext("This value is not accepted.")}, 400)
    abort(503)


@bp.route(LIST_PATH + "/<declarant_id>/<any(revoke, reset):action>", methods=["POST"])
@operator_page
def decide(declarant_id, action):
    """Revoke an account, or mail its holder a new password link."""
    status, body = call("identity", "POST", f"{LIST_PATH}/{quote(declarant_id, safe='')}/{action}")
    if status == 404:
        abort(404)
    if status == 409:
        return redirect(LIST_PATH + "?done=declarant_revoked")
    if status not in (200, 202):
        abort(503)
    return redirect(LIST_PATH + "?done=" + ("revoked" if action == "revoke" else "reset"))

"""Declarant accounts of the Etafi declarative portal, the same pages for two audiences: the
operators' (``/operator/declarants``, in the back office, any company found by its number) and a
company's administrators' (``/administration/declarants``, in the Management Center, their own
company): the list (criteria panel and pager), a new account, revoking one and mailing a new
password link. Each calls identity's route of its audience, which checks who may do what again."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from dataclasses import dataclass
from typing import Callable

from flask import Blueprint

from ..common import calls, space_blueprint
from ..common.pager import last_page_of, page_number, pager, url_with
from ..common.rights import administrator_page, operator_page

bp = space_blueprint("declarant_accounts", __name__)
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


@dataclass(frozen=True)
class Audience:
    """Whose pages: their path (identity's route is the same path), their guard and left bar, and
    whether they name the company (operators) or work on their own (administrators)."""

    path: str
    guard: Callable
    nav: str
    names_company: bool


OPERATORS = Audience("/operator/declarants", operator_page, "backoffice/_nav.html", True)
ADMINISTRATORS = Audience("/administration/declarants", administrator_page, "_admin_nav.html", False)


def _api_path(audience: Audience) -> str:
    return "/operator/declarants" if audience.names_company else "/identity/declarants"


def _read(path: str, query: dict) -> dict:
    status, body = calls.call("identity", "GET", path, query=query)
    if status in (403, 404):
        abort(status)
    if status != 200 or not isinstance(body, dict):
        abort(503)
    return body


def _criteria() -> dict:
    return {"q": (request.args.get("q") or "").strip()[:200],
            "role": request.args.get("role") if request.args.get("role") in ROLES else "",
            "status": request.args.get("status") if request.args.get("status") in STATUSES else ""}


def _listing(audience: Audience, values: dict, errors: dict, status: int = 200):
    criteria, page = _criteria(), page_number(request.args.get("page"))
    answer = _read(_api_path(audience), {"page": page, "per_page": PER_PAGE,
                                         **{key: value for key, value in criteria.items() if value}})
    total = answer.get("total") or 0
    if page > last_page_of(total, PER_PAGE):
        return redirect(url_with(audience.path, criteria, last_page_of(total, PER_PAGE)))
    done = DONE.get(request.args.get("done", ""))
    return render_template("declarations/accounts.html", audience=audience, declarants=answer.get("items") or [],
                           criteria=criteria, filtered=any(criteria.values()),
                           pager=pager(audience.path, criteria, page, total, PER_PAGE), values=values, errors=errors,
                           roles=ROLES, statuses=STATUSES,
                           message=(done[0], str(done[1])) if done else None), status


def index(audience: Audience):
    """The declarant accounts, found by login, name or e-mail, role and status; the form of a new one."""
    return _listing(audience, {**{name: "" for name in FIELDS}, "role": "declarant", "language": "fr"}, {})


def _company_id(number: str) -> str | None:
    """The id of the company with exactly this number (the search finds it among those it matches)."""
    found = _read("/operator/companies", {"q": number, "per_page": 200})
    return next((company["id"] for company in found.get("items") or [] if company.get("number") == number), None)


def issue(audience: Audience):
    """Issue an account (for operators, for the company of the number given)."""
    values = {name: (request.form.get(name) or "").strip()[:size] for name, size in FIELDS.items()}
    values["role"] = request.form.get("role") if request.form.get("role") in ROLES else "declarant"
    values["language"] = "en" if request.form.get("language") == "en" else "fr"
    required = ("company_number", "login", "email") if audience.names_company else ("login", "email")
    errors = {name: gettext("This field is required.") for name in required if not values[name]}
    body = {key: values[key] for key in ("login", "email", "first_name", "last_name", "role", "language")}
    if audience.names_company and values["company_number"]:
        body["company_id"] = _company_id(values["company_number"])
        if body["company_id"] is None:
            errors["company_number"] = gettext("No company has this number.")
    if errors:
        return _listing(audience, values, errors, 400)
    status, answer = calls.call("identity", "POST", _api_path(audience), json=body)
    if status == 201:
        return redirect(audience.path + "?done=issued")
    if status in (400, 404, 409):
        field, text = REFUSALS.get(calls.error_code(answer), (None, None))
        if field:
            return _listing(audience, values, {field: str(text)}, status)
        return _listing(audience, values, {name: gettext("This value is not accepted.")
                                           for name in calls.error_fields(answer) if name in values}
                        or {"login": gettext("This value is not accepted.")}, 400)
    abort(503)


def decide(audience: Audience, declarant_id: str, action: str):
    """Revoke an account, or mail its holder a new password link."""
    status, _body = calls.call("identity", "POST", f"{_api_path(audience)}/{quote(declarant_id, safe='')}/{action}")
    if status == 404:
        abort(404)
    if status == 409:
        return redirect(audience.path + "?done=declarant_revoked")
    if status not in (200, 202):
        abort(503)
    return redirect(audience.path + "?done=" + ("revoked" if action == "revoke" else "reset"))


def _register(blueprint: Blueprint, audience: Audience) -> None:
    """The three routes of one audience, behind its guard."""
    name = audience.path.strip("/").replace("/", "_")
    blueprint.add_url_rule(audience.path, f"{name}_index", audience.guard(lambda: index(audience)))
    blueprint.add_url_rule(audience.path, f"{name}_issue", audience.guard(lambda: issue(audience)), methods=["POST"])
    blueprint.add_url_rule(audience.path + "/<declarant_id>/<any(revoke, reset):action>", f"{name}_decide",
                           audience.guard(lambda declarant_id, action: decide(audience, declarant_id, action)),
                           methods=["POST"])


_register(bp, OPERATORS)
_register(bp, ADMINISTRATORS)

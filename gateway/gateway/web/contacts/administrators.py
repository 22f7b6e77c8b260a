"""The administrators' Contacts page: the company's users with their roles and interests
(filtered, paged), and a user's form — roles kept by identity, interests as catalog subscriptions."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext

from ..common import calls, rights, space_blueprint, visitor
from ..common.pager import PER_PAGE, last_page_of, page_number, pager, url_with
from ..common.rights import administrator_page
from .words import INTEREST_FAMILIES, ROLES, catalog_items, interest_titles

bp = space_blueprint("contacts", __name__)

LIST_PATH = "/administration/contacts"
LIVE = ("accepted", "pending")


def _criteria() -> dict:
    values = {name: (request.args.get(name) or "").strip()[:200] for name in ("q", "role", "company")}
    if values["role"] not in ROLES:
        values["role"] = ""
    return values


@bp.route(LIST_PATH)
@administrator_page
def index():
    """The company's users, those holding a role first, with their roles and interests."""
    criteria = _criteria()
    page = page_number(request.args.get("page"))
    status, body = calls.identity("GET", "/identity/contacts",
                                  query={**{k: v or None for k, v in criteria.items()}, "page": page,
                                         "per_page": PER_PAGE})
    if status == 400:
        return redirect(LIST_PATH)
    if status in (403, 404):
        abort(status)
    if status != 200 or not isinstance(body, dict):
        abort(503)
    total = body.get("total") or 0
    if page > last_page_of(total):
        return redirect(url_with(LIST_PATH, criteria, last_page_of(total)))
    companies = (calls.optional("/identity/companies") or {}).get("items") or []
    titles = interest_titles(catalog_items("/catalog/company-catalog", {"company": criteria["company"] or None}))
    return render_template("contacts/contacts.html", contacts=body.get("items") or [], criteria=criteria,
                           pager=pager(LIST_PATH, criteria, page, total), roles=ROLES, titles=titles,
                           companies=companies if rights.is_supervisor(visitor.current_user()) or len(companies) > 1 else [],
                           message=gettext("The contact has been saved.") if request.args.get("done") == "saved" else None)


def _contact(user_id: str) -> dict:
    return calls.fetch("/identity/contacts/" + quote(user_id, safe=""))


def _interests(contact: dict) -> list[dict]:
    """The interest services offered to the user's company, each with the user's live subscription."""
    services = catalog_items("/catalog/company-catalog", {"company": contact.get("company_id"),
                                                          "user_id": contact["user"]["id"]})
    for service in services:
        subscription = service.get("subscription") or {}
        service["held"] = subscription.get("status") in LIVE
    return services


@bp.route(LIST_PATH + "/<user_id>", methods=["GET"])
@administrator_page
def edit(user_id):
    """A user's roles and interests, to change."""
    contact = _contact(user_id)
    return _render_form(contact, _interests(contact))


def _render_form(contact, services, errors=(), status=200):
    return render_template("contacts/contact_form.html", contact=contact, roles=ROLES, services=services,
                           families=INTEREST_FAMILIES, errors=list(errors)), status


@bp.route(LIST_PATH + "/<user_id>", methods=["POST"])
@administrator_page
def save(user_id):
    """Keep the roles ticked, subscribe the user to the interests ticked, cancel the others."""
    contact = _contact(user_id)
    roles = [role for role in request.form.getlist("roles") if role in ROLES]
    status, answer = calls.identity("PUT", f"/identity/contacts/{quote(user_id, safe='')}/roles",
                                    json={"roles": roles})
    errors = []
    if status == 409:
        errors.append(gettext("Another administrator named a main contact at the same time: try again."))
    elif status != 200:
        abort(404 if status == 404 else 503)
    services = _interests(contact)
    wanted = set(request.form.getlist("interests"))
    for service in services:
        subscription = service.get("subscription") or {}
        if service["id"] in wanted and not service["held"]:
            code, body = calls.call("catalog", "POST", "/catalog/subscriptions",
                                    json={"service_id": service["id"], "user_id": user_id})
            if code not in (200, 201):
                errors.append(_subscribe_error(service, code, body))
        elif service["id"] not in wanted and service["held"]:
            code, _ = calls.call("catalog", "DELETE", "/catalog/subscriptions/" + quote(subscription["id"], safe=""))
            if code not in (200, 204):
                errors.append(gettext("“%(title)s” could not be removed: try again.", title=service.get("title")))
    if errors:
        return _render_form(_contact(user_id), _interests(contact), errors, 409 if status == 409 else 400)
    return redirect(LIST_PATH + "?done=saved")


def _subscribe_error(service: dict, status: int, body) -> str:
    if calls.error_code(body) == "security_level_too_low":
        return gettext("“%(title)s” needs a stronger password security level than this user's.",
                       title=service.get("title"))
    if status == 409:
        return gettext("“%(title)s” is already held or asked for.", title=service.get("title"))
    return gettext("“%(title)s” could not be added: try again.", title=service.get("title"))

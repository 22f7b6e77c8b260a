"""The administrators' services catalog: holder counts, the user picker and its subscribe boxes, the
expiry date, and the per-service sub-menu (automatic at account creation, or needing validation)."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, rights, space_blueprint, visitor
from ..common.pager import last_page_of, page_number, pager, url_with
from .calls import FAMILIES, back_to, catalog, choice, expiry_date, refusal_text, text_criterion, tomorrow

bp = space_blueprint("catalog_admin", __name__)

ADMIN_CATALOG = "/administration/catalog"
# Services that make administrators: always validated, never automatic (the catalog refuses the change).
LOCKED = frozenset({"user-management-administration", "user-management-supervision-administration"})
USERS_SHOWN = 200
DONE = {"saved": ("success", lazy_gettext("The service's settings have been saved.")),
        "locked": ("error", lazy_gettext("This service makes administrators: it always needs validation and is "
                                         "never granted automatically.")),
        "none_selected": ("error", lazy_gettext("Choose a user, tick the services, then press “Subscribe”.")),
        "bad_expiry": ("error", lazy_gettext("The expiry date must be a date after today. Nothing was changed."))}


def _criteria(companies: list) -> dict:
    company_ids = {(item.get("company") or {}).get("id") for item in companies}
    return {"company": request.args.get("company") if request.args.get("company") in company_ids else "",
            "who": text_criterion(request.args, "who"), "user": text_criterion(request.args, "user")[:64],
            "family": choice(request.args, "family", FAMILIES), "q": text_criterion(request.args, "q")}


@bp.route(ADMIN_CATALOG)
@visitor.signed_in_page
def company_catalog():
    """Every service offered to the company, with its holders, the picked user's boxes and the sub-menu."""
    if not rights.is_administrator(visitor.current_user()):
        # The catalog mails reach plain users too: theirs is the catalog they subscribe from.
        return redirect("/services/catalog")
    companies = (calls.optional("/identity/companies") or {}).get("items") or []
    criteria = _criteria(companies)
    users = calls.optional("/identity/users", {"company": criteria["company"] or None, "status": "active",
                                               "q": criteria["who"] or None, "per_page": USERS_SHOWN})
    page = page_number(request.args.get("page"))
    query = {"company": criteria["company"] or None, "user_id": criteria["user"] or None,
             "family": criteria["family"] or None, "q": criteria["q"] or None, "page": page, "per_page": 10}
    status, answer = catalog("GET", "/catalog/company-catalog", query=query)
    if status == 404 and criteria["user"]:
        # A user of another company (or gone): the catalog without them.
        return redirect(url_with(ADMIN_CATALOG, {**criteria, "user": ""}))
    if status == 403:
        abort(403)
    if status != 200 or not isinstance(answer, dict):
        abort(503)
    total = answer.get("total") or 0
    if page > last_page_of(total):
        return redirect(url_with(ADMIN_CATALOG, criteria, last_page_of(total)))
    user_items = (users or {}).get("items") or []
    picked = next((user for user in user_items if user.get("id") == criteria["user"]), None)
    done = DONE.get(request.args.get("done", ""))
    return render_template(
        "catalog/admin_catalog.html", items=answer.get("items") or [], criteria=criteria,
        companies=companies if len(companies) > 1 else [], users=user_items,
        more_users=((users or {}).get("total") or 0) > len(user_items), picked=picked,
        pager=pager(ADMIN_CATALOG, criteria, page, total), here_list=url_with(ADMIN_CATALOG, criteria, page),
        locked=LOCKED, tomorrow=tomorrow(), company_id=answer.get("company_id") or criteria["company"],
        message=(done[0], str(done[1])) if done else None, filtered=bool(criteria["family"] or criteria["q"]))


@bp.route(ADMIN_CATALOG + "/subscriptions", methods=["POST"])
@rights.administrator_page
def subscribe_user():
    """Subscribe the picked user to the ticked services at once, with the optional expiry date."""
    user_id = (request.form.get("user_id") or "").strip()[:64]
    service_ids = [value for value in request.form.getlist("service_ids") if value][:50]
    if not user_id or not service_ids:
        return redirect(back_to(ADMIN_CATALOG, done="none_selected"))
    expires_on, error = expiry_date(request.form.get("expires_on"))
    if error:
        return redirect(back_to(ADMIN_CATALOG, done="bad_expiry"))
    outcomes = []
    for service_id in service_ids:
        title = (request.form.get("title-" + service_id) or "").strip()[:300] or gettext("This service")
        status, body = catalog("POST", "/catalog/subscriptions",
                               json={"service_id": service_id, "user_id": user_id, "expires_on": expires_on})
        if status == 201 and isinstance(body, dict):
            outcomes.append(("accepted", title, None))
        else:
            outcomes.append(("refused", title, refusal_text(status, body, title)))
    name = (request.form.get("user_name") or "").strip()[:200]
    return render_template("catalog/subscribed.html", outcomes=outcomes, back=back_to(ADMIN_CATALOG),
                           for_user=name or True, expires_on=expires_on, is_administrator=True)


@bp.route(ADMIN_CATALOG + "/settings/<service_id>", methods=["POST"])
@rights.administrator_page
def save_settings(service_id):
    """The sub-menu's "Save": whether the company grants the service automatically, whether it needs validation."""
    json = {"auto_subscribe": request.form.get("auto_subscribe") == "on",
            "needs_validation": request.form.get("needs_validation") == "on",
            "company_id": (request.form.get("company_id") or "").strip()[:64] or None}
    status, _ = catalog("PUT", "/catalog/settings/services/" + quote(service_id, safe=""), json=json)
    if status == 404:
        abort(404)
    if status == 409:
        return redirect(back_to(ADMIN_CATALOG, done="locked"))
    if status != 200:
        abort(503)
    return redirect(back_to(ADMIN_CATALOG, done="saved"))

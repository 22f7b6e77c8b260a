"""A user's own services: "My services" (with the cross), the catalog to subscribe from, renewal requests."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import rights, space_blueprint, visitor
from ..common.pager import last_page_of, page_number, pager, url_with
from . import dashboard
from .calls import (FAMILIES, LEVELS, STATUSES, back_to, catalog, choice, day, listing, reason_text,
                    refusal_text, text_criterion)

bp = space_blueprint("catalog_services", __name__)

MY_SERVICES = "/services"
CATALOG = "/services/catalog"
LIVE = frozenset({"accepted", "pending"})
DONE = {"cancelled": lazy_gettext("The subscription has been cancelled."),
        "none_selected": lazy_gettext("Tick the services to subscribe to, then press “Subscribe”.")}


@bp.app_context_processor
def _catalog_words() -> dict:
    return {"catalog_statuses": STATUSES, "catalog_families": FAMILIES, "catalog_levels": LEVELS,
            "reason_text": reason_text, "catalog_dashboard": dashboard.blocks,
            "catalog_is_administrator": lambda: rights.is_administrator(visitor.current_user())}


@bp.app_template_filter("catalog_day")
def _day(value) -> str:
    return day(value)


def _message():
    done = request.args.get("done", "")
    if done == "none_selected":
        return "error", str(DONE[done])
    return ("success", str(DONE[done])) if done in DONE else None


@bp.route(MY_SERVICES)
@visitor.signed_in_page
def my_services():
    """List one's subscriptions, newest first: family, title, request date, status, expiry."""
    criteria = {"family": choice(request.args, "family", FAMILIES),
                "status": choice(request.args, "status", STATUSES), "q": text_criterion(request.args, "q")}
    page = page_number(request.args.get("page"))
    answer = listing("/catalog/subscriptions", {**{k: v or None for k, v in criteria.items()},
                                                "page": page, "per_page": 10})
    total = answer.get("total") or 0
    if page > last_page_of(total):
        return redirect(url_with(MY_SERVICES, criteria, last_page_of(total)))
    return render_template("catalog/my_services.html", items=answer.get("items") or [], criteria=criteria,
                           pager=pager(MY_SERVICES, criteria, page, total), live=LIVE,
                           here_list=url_with(MY_SERVICES, criteria, page), message=_message(),
                           filtered=any(criteria.values()))


@bp.route(MY_SERVICES + "/<subscription_id>/cancel", methods=["POST"])
@visitor.signed_in_page
def unsubscribe(subscription_id):
    """The cross: end one's subscription (or withdraw one's request)."""
    status, _ = catalog("DELETE", "/catalog/subscriptions/" + quote(subscription_id, safe=""))
    if status == 404:
        abort(404)
    if status not in (200, 204):
        abort(503)
    return redirect(back_to(MY_SERVICES, done="cancelled"))


@bp.route(CATALOG)
@visitor.signed_in_page
def offer():
    """The services one may still subscribe to, with their subscribe boxes."""
    criteria = {"family": choice(request.args, "family", FAMILIES), "q": text_criterion(request.args, "q")}
    page = page_number(request.args.get("page"))
    status, answer = catalog("GET", "/catalog/services", query={**{k: v or None for k, v in criteria.items()},
                                                                 "page": page, "per_page": 10})
    if status == 403:
        # Operators hold no services: nothing to offer them here.
        abort(403)
    if status != 200 or not isinstance(answer, dict):
        abort(503)
    total = answer.get("total") or 0
    if page > last_page_of(total):
        return redirect(url_with(CATALOG, criteria, last_page_of(total)))
    return render_template("catalog/offer.html", items=answer.get("items") or [], criteria=criteria,
                           pager=pager(CATALOG, criteria, page, total), here_list=url_with(CATALOG, criteria, page),
                           message=_message(), filtered=any(criteria.values()))


@bp.route(CATALOG, methods=["POST"])
@visitor.signed_in_page
def subscribe():
    """Subscribe to the ticked services: granted at once, or waiting for an administrator's validation."""
    service_ids = [value for value in request.form.getlist("service_ids") if value][:50]
    if not service_ids:
        return redirect(back_to(CATALOG, done="none_selected"))
    outcomes = []
    for service_id in service_ids:
        title = (request.form.get("title-" + service_id) or "").strip()[:300] or gettext("This service")
        status, body = catalog("POST", "/catalog/subscriptions", json={"service_id": service_id})
        if status == 201 and isinstance(body, dict):
            outcomes.append(("accepted" if body.get("status") == "accepted" else "pending", title, None))
        else:
            outcomes.append(("refused", title, refusal_text(status, body, title)))
    return render_template("catalog/subscribed.html", outcomes=outcomes, back=back_to(CATALOG)), 200


@bp.route("/services/renewal/<subscription_id>", methods=["GET"])
@visitor.signed_in_page
def renewal_form(subscription_id):
    """The reminder mail's link: a button asks for the renewal (a mail scanner's visit changes nothing)."""
    if len(subscription_id) > 64:
        abort(404)
    return render_template("catalog/renewal.html", subscription_id=subscription_id,
                           subscription=_own_subscription(subscription_id))


def _own_subscription(subscription_id: str) -> dict | None:
    """The visitor's own held subscription of that id, to name it (an administrator's link names another's)."""
    status, body = catalog("GET", "/catalog/subscriptions", query={"status": "accepted", "per_page": 200})
    items = (body or {}).get("items") if status == 200 and isinstance(body, dict) else None
    return next((item for item in items or () if item.get("id") == subscription_id), None)


@bp.route("/services/renewal/<subscription_id>", methods=["POST"])
@visitor.signed_in_page
def request_renewal(subscription_id):
    """Ask the administrators to keep a subscription past its expiry date."""
    if len(subscription_id) > 64:
        abort(404)
    status, body = catalog("POST", f"/catalog/subscriptions/{quote(subscription_id, safe='')}/renewal")
    if status == 404:
        abort(404)
    if status == 200:
        return render_template("message.html", success=True, title=gettext("Renewal requested"), texts=[
            gettext("Your administrators have been asked to keep this service after its expiry date. "
                    "You will receive an e-mail with their decision.")],
            action=(MY_SERVICES, gettext("Go to my services")))
    if status == 409:
        return render_template("message.html", status=409, title=gettext("Nothing to renew"), texts=[
            gettext("This subscription has no expiry date, or it has already ended.")],
            action=(MY_SERVICES, gettext("Go to my services"))), 409
    abort(503)

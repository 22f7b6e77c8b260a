"""Requests to validate: the administrators' queue of subscriptions and renewals, accepted or refused."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import lazy_gettext

from ..common import calls, space_blueprint
from ..common.rights import administrator_page
from ..common.pager import last_page_of, page_number, pager, url_with
from .calls import back_to, catalog, expiry_date, listing, tomorrow

bp = space_blueprint("catalog_requests", __name__)

QUEUE = "/administration/requests"
DONE = {"accepted": ("success", lazy_gettext("The request has been accepted; the requester has been told by e-mail.")),
        "refused": ("success", lazy_gettext("The request has been refused; the requester has been told by e-mail.")),
        "already_decided": ("error", lazy_gettext("This request has already been decided, or it has ended.")),
        "bad_expiry": ("error", lazy_gettext("The expiry date must be a date after today. Nothing was changed."))}


@bp.route(QUEUE)
@administrator_page
def queue():
    """List the requests the administrator may decide, oldest first."""
    companies = (calls.optional("/identity/companies") or {}).get("items") or []
    company_ids = {(item.get("company") or {}).get("id") for item in companies}
    criteria = {"company": request.args.get("company") if request.args.get("company") in company_ids else ""}
    page = page_number(request.args.get("page"))
    answer = listing("/catalog/requests", {"company": criteria["company"] or None, "page": page, "per_page": 10})
    total = answer.get("total") or 0
    if page > last_page_of(total):
        return redirect(url_with(QUEUE, criteria, last_page_of(total)))
    done = DONE.get(request.args.get("done", ""))
    return render_template("catalog/requests.html", items=answer.get("items") or [], criteria=criteria,
                           companies=companies if len(companies) > 1 else [], pager=pager(QUEUE, criteria, page, total),
                           here_list=url_with(QUEUE, criteria, page), tomorrow=tomorrow(),
                           message=(done[0], str(done[1])) if done else None)


def _decided(status: int, done: str):
    if status == 404:
        abort(404)
    if status == 409:
        return redirect(back_to(QUEUE, done="already_decided"))
    if status == 400:
        return redirect(back_to(QUEUE, done="bad_expiry"))
    if status != 200:
        abort(503)
    return redirect(back_to(QUEUE, done=done))


@bp.route(QUEUE + "/<request_id>/accept", methods=["POST"])
@administrator_page
def accept(request_id):
    """Accept a request, with an optional expiry date."""
    expires_on, error = expiry_date(request.form.get("expires_on"))
    if error:
        return redirect(back_to(QUEUE, done="bad_expiry"))
    status, _ = catalog("POST", f"/catalog/requests/{quote(request_id, safe='')}/accept",
                        json={"expires_on": expires_on})
    return _decided(status, "accepted")


@bp.route(QUEUE + "/<request_id>/refuse", methods=["POST"])
@administrator_page
def refuse(request_id):
    """Refuse a request, with an optional reason the requester reads."""
    reason = (request.form.get("reason") or "").strip()[:500] or None
    status, _ = catalog("POST", f"/catalog/requests/{quote(request_id, safe='')}/refuse", json={"reason": reason})
    return _decided(status, "refused")

"""``/downloads``: the releases the visitor may download, newest first (``?product=`` one product's,
``?waiting=1`` the new ones only), the release calendar, and "Add to your calendar": the user's secret feed link, shown once
when made or renewed (assets keeps only its hash)."""
from __future__ import annotations

from datetime import date

from flask import abort, redirect, render_template, request
from flask_babel import format_date

from ..common import calls, feeds, space_blueprint, visitor
from ..common.sizes import size_text  # noqa: F401  (the template's, and other modules')
from ..common.pager import PER_PAGE, last_page_of, page_number, pager, url_with

bp = space_blueprint("downloads", __name__)
PATH = "/downloads"


def day_text(value) -> str:
    """A ``YYYY-MM-DD`` date in the page's language (as is if it cannot be read)."""
    try:
        return format_date(date.fromisoformat(str(value)), "medium")
    except ValueError:
        return str(value or "")


FEED_LINK = "/assets/feed-links/release_calendar"


@bp.route(PATH)
@visitor.signed_in_page
def downloads():
    """The updates to download and the release calendar (needs "Download updates": 403 otherwise)."""
    return _page()


def _feed_link() -> dict | None:
    """The user's secret calendar link as assets keeps it (when made, last read), or None."""
    status, body = calls.call("assets", "GET", FEED_LINK)
    return body if status == 200 and isinstance(body, dict) else None


@bp.route(PATH + "/calendar-link", methods=["POST"])
@visitor.signed_in_page
def renew_feed_link():
    """Make (or renew: the old one stops at once) the user's secret link of the release calendar, shown this once."""
    status, body = calls.call("assets", "POST", FEED_LINK)
    if status == 403:
        abort(403)
    if status != 201 or not isinstance(body, dict) or not body.get("path"):
        abort(503)
    url = feeds.feed_url(body["path"])
    return _page(new_link={"url": url, "webcal": feeds.webcal_url(url)})


@bp.route(PATH + "/calendar-link/delete", methods=["POST"])
@visitor.signed_in_page
def delete_feed_link():
    """Delete the user's secret calendar link: calendar apps reading it get nothing more."""
    status, _ = calls.call("assets", "DELETE", FEED_LINK)
    if status not in (204, 404):
        abort(503)
    return redirect(PATH + "?link=deleted#calendar-link", 303)


def _page(new_link: dict | None = None):
    criteria = {"waiting": "1" if request.args.get("waiting") == "1" else "",
                "product": (request.args.get("product") or "")[:32]}
    page = page_number(request.args.get("page"))
    query = {"page": page, "per_page": PER_PAGE, "waiting": "true" if criteria["waiting"] else None,
             "product": criteria["product"] or None}
    status, body = calls.call("assets", "GET", "/assets/releases", query=query)
    if status == 403:
        abort(403)
    if status != 200 or not isinstance(body, dict):
        abort(503)
    total = body.get("total") or 0
    if page > last_page_of(total):
        return redirect(url_with(PATH, criteria, last_page_of(total)))
    status, calendar = calls.call("assets", "GET", "/assets/calendar", query={"per_page": 200})
    lines = calendar.get("items") if status == 200 and isinstance(calendar, dict) else None
    return render_template("downloads/downloads.html", releases=body.get("items") or [],
                           feed_link=None if new_link else _feed_link(), new_link=new_link,
                           link_deleted=request.args.get("link") == "deleted",
                           waiting_total=body.get("waiting_total") or 0, criteria=criteria,
                           products=[(product["id"], product.get("name") or product.get("code") or product["id"])
                                     for product in body.get("products") or [] if isinstance(product, dict)],
                           filtered=any(criteria.values()),
                           pager=pager(PATH, criteria, page, total), lines=lines, size_text=size_text,
                           day_text=day_text)

"""``/planning``: the visitor's month of services (calendar and list), ``/planning/<id>`` one
service's details, ``POST /planning/feed-link`` a new secret link to their iCalendar feed (a feed
link of purpose ``planning`` in assets, served at ``/feeds/planning/<secret>.ics``: ``common/feeds``)."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time, get_day_names
from flask import abort, redirect, render_template, request
from flask_babel import get_locale

from ..common import calls, feeds, space_blueprint, visitor
from . import calendar_grid

bp = space_blueprint("planning", __name__)
PATH = "/planning"
FEED_LINK = "/assets/feed-links/planning"


def moment(value: str | None, kind: str = "time") -> str:
    """A service's time, in the company's time zone its answer carries, in the page's language."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    locale = str(get_locale() or "en")
    if kind == "date":
        return format_date(parsed, "full", locale=locale)
    if kind == "day":
        return format_date(parsed, "medium", locale=locale)
    return format_time(parsed, "short", locale=locale)


def helpers() -> dict:
    locale = str(get_locale() or "en")
    return {"moment": moment, "weekday_names": [get_day_names("abbreviated", locale=locale)[i] for i in range(7)],
            "month_title": lambda first: format_date(first, "LLLL yyyy", locale=locale).capitalize(),
            "day_title": lambda day: format_date(day, "full", locale=locale)}


def _today(zone: str | None) -> date:
    try:
        return datetime.now(ZoneInfo(zone or "UTC")).date()
    except (ZoneInfoNotFoundError, ValueError):
        return date.today()


def _feed_state() -> dict | None:
    """The visitor's feed link as assets keeps it (when made, last read; never its secret), or None."""
    status, body = calls.call("assets", "GET", FEED_LINK)
    return body if status == 200 and isinstance(body, dict) else None


@bp.route(PATH)
@visitor.signed_in_page
def month_page():
    """The month's services as a calendar and a list; ``day`` opens that day's services."""
    asked = request.args.get("month")
    if asked and asked != calendar_grid.month_of(asked, date.today()).strftime("%Y-%m"):
        return redirect(PATH)
    # Without a month, assets answers this month of the company's time zone: today is there too.
    status, body = calls.call("assets", "GET", "/assets/planning", query={"month": asked or None})
    if status == 400:
        return redirect(PATH)
    if status != 200 or not isinstance(body, dict):
        abort(503)
    today = _today(body.get("time_zone"))
    first = calendar_grid.month_of(body.get("month") or asked, today)
    try:
        chosen = date.fromisoformat(request.args.get("day") or "")
    except ValueError:
        chosen = None
    if chosen is not None and (chosen.year, chosen.month) != (first.year, first.month):
        chosen = None
    items = body.get("items") or []
    weeks = calendar_grid.weeks(first, items, today, chosen)
    day_services = [item for item in items if chosen in calendar_grid.days_of(item)] if chosen else []
    return render_template("planning/month.html", first=first, weeks=weeks, items=items, chosen=chosen,
                           day_services=day_services, time_zone=body.get("time_zone") or "",
                           previous=calendar_grid.shift(first, -1).strftime("%Y-%m"),
                           next=calendar_grid.shift(first, 1).strftime("%Y-%m"),
                           this_month=today.strftime("%Y-%m"), feed=_feed_state(), **helpers())


@bp.route(PATH + "/<intervention_id>")
@visitor.signed_in_page
def details(intervention_id):
    """One of the visitor's services (404 for any other), with its .ics and the feed link."""
    status, item = calls.call("assets", "GET", f"/assets/planning/{intervention_id}")
    if status == 404:
        abort(404)
    if status != 200 or not isinstance(item, dict):
        abort(503)
    return render_template("planning/details.html", item=item, feed=_feed_state(),
                           month=(item.get("starts_at") or "")[:7], **helpers())


@bp.route(PATH + "/feed-link", methods=["GET"])
@visitor.signed_in_page
def feed_link_page():
    """The feed link is made by its form (POST): the address alone shows the planning."""
    return redirect(PATH)


@bp.route(PATH + "/feed-link", methods=["POST"])
@visitor.signed_in_page
def renew_feed_link():
    """A new secret link to the visitor's feed, shown once (the previous one stops working)."""
    status, body = calls.call("assets", "POST", FEED_LINK)
    if status == 403:
        abort(403)
    if status != 201 or not isinstance(body, dict) or not body.get("path"):
        abort(503)
    url = feeds.feed_url(body["path"])
    return render_template("planning/feed_link.html", url=url, webcal=feeds.webcal_url(url))

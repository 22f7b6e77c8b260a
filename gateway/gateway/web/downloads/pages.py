"""``/downloads``: the releases the visitor may download, newest first (``?waiting=1`` the new ones
only), and the release calendar."""
from __future__ import annotations

from datetime import date

from flask import abort, redirect, render_template, request
from flask_babel import format_date

from ..common import calls, space_blueprint, visitor
from ..common.pager import PER_PAGE, last_page_of, page_number, pager, url_with

bp = space_blueprint("downloads", __name__)
PATH = "/downloads"


def size_text(size: int) -> str:
    """A file size for people (binary units, one decimal)."""
    value, unit = float(size or 0), "B"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            break
        value /= 1024
    return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"


def day_text(value) -> str:
    """A ``YYYY-MM-DD`` date in the page's language (as is if it cannot be read)."""
    try:
        return format_date(date.fromisoformat(str(value)), "medium")
    except ValueError:
        return str(value or "")


@bp.route(PATH)
@visitor.signed_in_page
def downloads():
    """The updates to download and the release calendar (needs "Download updates": 403 otherwise)."""
    criteria = {"waiting": "1" if request.args.get("waiting") == "1" else ""}
    page = page_number(request.args.get("page"))
    query = {"page": page, "per_page": PER_PAGE, "waiting": "true" if criteria["waiting"] else None}
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
                           waiting_total=body.get("waiting_total") or 0, criteria=criteria,
                           pager=pager(PATH, criteria, page, total), lines=lines, size_text=size_text,
                           day_text=day_text)

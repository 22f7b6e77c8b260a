"""``/news``: the news reaching the visitor, newest first, filtered by kind, paged, those published since
their last visit marked new; ``/news/<id>``: one item.

The visit: opening ``/news`` (any kind, any page) marks every item published up to the moment its list
was read as seen (``POST /knowledge/news/visits`` with the list's ``as_of``): the home tile's count then
drops to what was published since. Opening a single item does not move the mark.
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import format_datetime

from ..common import calls, space_blueprint, visitor
from ..common.pager import PER_PAGE, last_page_of, page_number, pager, url_with
from ..common.news_kinds import KINDS

bp = space_blueprint("news", __name__)
PATH = "/news"


def when_text(value) -> str:
    """An ISO time in the page's language (as is if it cannot be read)."""
    try:
        return format_datetime(datetime.fromisoformat(str(value)), "medium")
    except ValueError:
        return str(value or "")


@bp.route(PATH)
@visitor.signed_in_page
def news_list():
    """The news for the visitor (generic, their company's products, their functional preferences)."""
    criteria = {"kind": request.args.get("kind") if request.args.get("kind") in KINDS else ""}
    page = page_number(request.args.get("page"))
    status, body = calls.call("knowledge", "GET", "/knowledge/news",
                              query={"kind": criteria["kind"] or None, "page": page, "per_page": PER_PAGE})
    if status in (403, 404):
        abort(status)
    if status != 200 or not isinstance(body, dict):
        abort(503)
    total = body.get("total") or 0
    if page > last_page_of(total):
        return redirect(url_with(PATH, criteria, last_page_of(total)))
    # This visit: what the list was read up to is seen from now on (a failure only leaves it new).
    calls.call("knowledge", "POST", "/knowledge/news/visits", json={"seen_until": body.get("as_of")}
               if body.get("as_of") else {})
    return render_template("news/news.html", items=body.get("items") or [], criteria=criteria, kinds=KINDS,
                           new_total=body.get("new_since_last_visit") or 0,
                           new_capped=bool(body.get("new_since_last_visit_capped")), filtered=bool(criteria["kind"]),
                           pager=pager(PATH, criteria, page, total, more=bool(body.get("total_capped"))),
                           when_text=when_text)


@bp.route(PATH + "/<news_id>")
@visitor.signed_in_page
def news_item(news_id):
    """One news item (the not-found page when it does not reach the visitor)."""
    status, item = calls.call("knowledge", "GET", f"/knowledge/news/{quote(news_id, safe='')}")
    if status in (403, 404):
        abort(status)
    if status != 200 or not isinstance(item, dict):
        abort(503)
    return render_template("news/item.html", item=item, kinds=KINDS, when_text=when_text)

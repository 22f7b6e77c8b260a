"""The readers' pages: the knowledge base's search (one box, brand and domain, results with their
highlighted extracts, pager) and an article (printable, its attachments, "Was this helpful?")."""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import format_date
from markupsafe import Markup

from ..common import calls, space_blueprint, visitor
from ..common.pager import last_page_of, page_number, pager, url_with

bp = space_blueprint("knowledge", __name__)
PATH = "/knowledge"
PER_PAGE = 10


def day_text(value) -> str:
    try:
        return format_date(date.fromisoformat(str(value)), "long")
    except ValueError:
        return str(value or "")


def _read(path: str, query: dict | None = None) -> dict:
    status, body = calls.call("knowledge", "GET", path, query=query)
    if status in (403, 404):
        abort(status)
    if status != 200 or not isinstance(body, dict):
        abort(503)
    return body


def _criteria(args) -> dict:
    return {"q": (args.get("q") or "").strip()[:500], "brand": (args.get("brand") or "").strip()[:100],
            "domain": (args.get("domain") or "").strip()[:100]}


@bp.route(PATH)
@visitor.signed_in_page
def search():
    """Search the knowledge base (needs "View FAQs": 403 otherwise)."""
    criteria = _criteria(request.args)
    page = page_number(request.args.get("page"))
    facets = _read("/knowledge/facets")
    answer = _read("/knowledge/search", {**{name: value or None for name, value in criteria.items()},
                                         "page": page, "per_page": PER_PAGE})
    total = answer.get("total") or 0
    if total and page > last_page_of(total, PER_PAGE):
        return redirect(url_with(PATH, criteria, last_page_of(total, PER_PAGE)))
    # The service escapes every extract and marks the matches itself: its HTML is shown as is.
    hits = [{**hit, "snippet": Markup(hit.get("snippet") or "")} for hit in answer.get("items") or []]
    # Past its candidates the service counts at most 1,000 past the page: "of more than".
    more = bool(answer.get("total_capped"))
    return render_template("knowledge/search.html", hits=hits, criteria=criteria,
                           pager=pager(PATH, criteria, page, total, more=more),
                           brands=[(b, b) for b in facets.get("brands") or []],
                           domains=[(d, d) for d in facets.get("domains") or []],
                           filtered=any(criteria.values()), day_text=day_text)


@bp.route(PATH + "/articles/<article_id>")
@visitor.signed_in_page
def article(article_id):
    """An article, in the visitor's language when it is written in it (``?language=`` the other)."""
    language = request.args.get("language") if request.args.get("language") in ("en", "fr") else None
    shown = _read(f"/knowledge/articles/{quote(article_id, safe='')}", {"language": language})
    return render_template("knowledge/article.html", article=shown, body_html=Markup(shown.get("body_html") or ""),
                           day_text=day_text, answered=request.args.get("answered") == "1")


@bp.route(PATH + "/articles/<article_id>/helpful", methods=["POST"])
@visitor.signed_in_page
def helpful(article_id):
    """Record the visitor's "Was this helpful?" answer, then show the article again."""
    answer = request.form.get("helpful")
    if answer not in ("yes", "no"):
        abort(400)
    path = f"/knowledge/articles/{quote(article_id, safe='')}"
    status, _ = calls.call("knowledge", "PUT", path + "/feedback", json={"helpful": answer == "yes"})
    if status in (403, 404):
        abort(status)
    if status != 200:
        abort(503)
    return redirect(f"{path}?answered=1", code=303)

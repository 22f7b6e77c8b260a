"""Routes of the news: a reader's list, item and visit mark (``/knowledge/news``), the operators'
publishing, list, preview and retirement (``/operator/news``)."""
from __future__ import annotations

from portalkit.markdown import to_safe_html
from portalkit.web import Blueprint, caller, db_session, operator_only, signed_in

from . import news
from .news_schemas import (NewsIn, NewsItemDetail, NewsPage, NewsQuery, OperatorNewsPage, OperatorNewsQuery,
                           OperatorNewsSchema, PreviewIn, PreviewSchema, ProductLines, VisitIn, VisitSchema)

blp = Blueprint("news", __name__, url_prefix="/knowledge", description="The news for the caller")
operators = Blueprint("operator-news", __name__, url_prefix="/operator", description="Operators' news")


def _in_language(item, language: str) -> str:
    """``language`` when the item has a title in it, else its other one."""
    other = "en" if language == "fr" else "fr"
    return language if getattr(item, f"title_{language}") or not getattr(item, f"title_{other}") else other


def _shown(item, is_new: bool, language: str, body: bool = False) -> dict:
    shown = _in_language(item, language)
    answer = {"id": item.id, "kind": item.kind, "title": getattr(item, f"title_{shown}"), "language": shown,
              "excerpt": getattr(item, f"excerpt_{shown}"), "published_at": item.published_at, "new": is_new,
              "products": [target.product_code for target in item.products],
              "domains": [target.domain for target in item.domains]}
    if body:
        answer["body_html"] = to_safe_html(getattr(item, f"body_{shown}"))
    return answer


@blp.route("/news", methods=["GET"])
@signed_in
@blp.arguments(NewsQuery, location="query")
@blp.response(200, NewsPage)
def list_news(query):
    """The news for the caller — generic items, and those for the company's products or the caller's
    functional preferences — newest first; ``new`` marks those published after the caller's last visit,
    ``new_since_last_visit`` counts them (every kind). Reading changes nothing: the visit is marked by
    ``POST /knowledge/news/visits``."""
    identity = caller()
    page = news.list_for_reader(db_session(), identity, query)
    return {**page, "items": [_shown(item, is_new, identity.language) for item, is_new in page["items"]]}


@blp.route("/lines", methods=["GET"])
@signed_in
@blp.response(200, ProductLines)
def product_lines():
    """The product lines (brands) the caller's company holds, each with its products and live holdings:
    the portal's spaces by product line; ``main`` names the line a user lands in (the most holdings,
    ties by brand name; null when the company holds no line)."""
    identity = caller()
    lines = news.reader_lines(db_session(), identity)
    return {"items": [{"brand": brand, "holdings": holdings,
                       "products": [{"id": product.id, "code": product.code, "name": product.name(identity.language)}
                                    for product in products]}
                      for brand, products, holdings in lines],
            "main": news.main_line(lines)}


@blp.route("/news/<news_id>", methods=["GET"])
@blp.refuses(404)
@signed_in
@blp.response(200, NewsItemDetail)
def show_news(news_id):
    """One item for the caller, its body as sanitised HTML (404 when it does not reach them)."""
    identity = caller()
    item, is_new = news.find_for_reader(db_session(), identity, news_id)
    return _shown(item, is_new, identity.language, body=True)


@blp.route("/news/visits", methods=["GET"])
@signed_in
@blp.response(200, VisitSchema)
def last_visit():
    """The caller's last visit of the news (``null`` when they never visited)."""
    return {"last_visit_at": news.last_visit(db_session(), caller().user_id)}


@blp.route("/news/visits", methods=["POST"])
@blp.refuses(400, 409)
@signed_in
@blp.arguments(VisitIn, required=False)
@blp.response(200, VisitSchema)
def mark_visit(data):
    """Mark the caller's visit of the news: what was published up to ``seen_until`` (the list's
    ``as_of``; now when absent) is no longer new for them."""
    return {"last_visit_at": news.mark_visit(db_session(), caller().user_id, (data or {}).get("seen_until"))}


def _operator_view(item) -> dict:
    return {**{name: getattr(item, name) for name in ("id", "kind", "title_en", "body_en", "title_fr", "body_fr",
                                                      "published_at", "published_by", "retired_at")},
            "products": [target.product_code for target in item.products],
            "domains": [target.domain for target in item.domains]}


@operators.route("/news", methods=["GET"])
@operator_only
@operators.arguments(OperatorNewsQuery, location="query")
@operators.response(200, OperatorNewsPage)
def operator_list(query):
    """Every news item, newest first (``kind``, ``retired`` narrow)."""
    items, total = news.list_for_operators(db_session(), query)
    return {"items": [_operator_view(item) for item in items], "total": total}


@operators.route("/news", methods=["POST"])
@operators.refuses(400)
@operator_only
@operators.arguments(NewsIn)
@operators.response(201, OperatorNewsSchema)
def publish(data):
    """Publish a news item at once (``NewsPublished``); generic without ``products`` and ``domains``,
    else for the companies holding one of the products or the users preferring one of the domains."""
    return _operator_view(news.publish(db_session(), data, caller().user_id))


@operators.route("/news/preview", methods=["POST"])
@operators.refuses(400)
@operator_only
@operators.arguments(PreviewIn)
@operators.response(200, PreviewSchema)
def preview(data):
    """The sanitised HTML a Markdown body will show."""
    return {"body_html": to_safe_html(data["body"])}


@operators.route("/news/<news_id>", methods=["GET"])
@operators.refuses(404)
@operator_only
@operators.response(200, OperatorNewsSchema)
def operator_show(news_id):
    """Read one news item."""
    return _operator_view(news.find(db_session(), news_id))


@operators.route("/news/<news_id>/retire", methods=["POST"])
@operators.refuses(404, 409)
@operator_only
@operators.response(200, OperatorNewsSchema)
def retire(news_id):
    """Retire a news item: it reaches nobody from now on."""
    return _operator_view(news.retire(db_session(), news_id, caller().user_id))

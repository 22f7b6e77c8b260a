"""``/spaces/<brand>``: a product line's space — its news (the items for its products), its updates and
release calendar (assets, for the line's products; the updates only to holders of "Download updates"),
and the entries to its knowledge base and to support. A brand the company does not hold is 404."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, g, render_template

from gateway import auth

from ..common import calls, frame, space_blueprint, visitor
from ..common.news_kinds import KINDS

bp = space_blueprint("lines", __name__)
PATH = "/spaces/"
NEWS_SHOWN = 10
OWN_BLOCKS = ("event", "legal")  # the kinds of news a space shows in a block of their own
BLOCK_SHOWN = 5


def _lines_of(user, identity=None) -> dict:
    """knowledge's answer of the lines of ``user``'s company (``items``, ``main``); empty when it cannot be had."""
    if user is None or getattr(user, "operator", False) or not getattr(user, "company_id", None):
        return {"items": [], "main": None}
    status, body = calls.call("knowledge", "GET", "/knowledge/lines", identity=identity)
    if status != 200 or not isinstance(body, dict) or not isinstance(body.get("items"), list):
        return {"items": [], "main": None}
    lines = [line for line in body["items"] if isinstance(line, dict) and line.get("brand")]
    main = body.get("main")
    return {"items": lines, "main": main if any(line["brand"] == main for line in lines) else None}


def company_lines() -> list[dict]:
    """The product lines of the visitor's company (read once a request; none when it cannot be had)."""
    if "portal_lines" not in g:
        g.portal_lines = _lines_of(visitor.current_user())["items"]
    return g.portal_lines


def main_space(user) -> str | None:
    """The space ``user``, just signed in, lands in: their company's main line's (None: home)."""
    if not frame.page_exists(PATH + "x"):
        return None
    main = _lines_of(user, auth.identity_for(user, visitor.client_ip()))["main"]
    return space_path(main) if main else None


def space_path(brand: str) -> str:
    return PATH + quote(brand, safe="")


def header_lines() -> dict:
    """The header's entries of the product lines' spaces."""
    if not frame.page_exists(PATH + "x"):
        return {"line_spaces": []}
    return {"line_spaces": [{"brand": line["brand"], "path": space_path(line["brand"])} for line in company_lines()]}


def _items(service: str, path: str, query: dict) -> list | None:
    status, body = calls.call(service, "GET", path, query=query)
    if status == 200 and isinstance(body, dict) and isinstance(body.get("items"), list):
        return body["items"]
    return None


@bp.route(PATH + "<brand>")
@visitor.signed_in_page
def space(brand):
    """The space of one of the company's product lines."""
    line = next((line for line in company_lines() if line["brand"] == brand), None)
    if line is None:
        abort(404)
    # Events and legal texts have blocks of their own; the news block shows the other kinds (read
    # from a longer page, as the list filters one kind at a time).
    news = _items("knowledge", "/knowledge/news", {"brand": brand, "per_page": 4 * NEWS_SHOWN})
    if news is not None:
        news = [item for item in news if item.get("kind") not in OWN_BLOCKS][:NEWS_SHOWN]
    blocks = [{"kind": kind, "items": _items("knowledge", "/knowledge/news",
                                             {"brand": brand, "kind": kind, "per_page": BLOCK_SHOWN})}
              for kind in OWN_BLOCKS]
    products = [product for product in line.get("products") or [] if isinstance(product, dict)]
    releases, calendar, downloads_allowed = [], [], True
    for product in products:
        status, body = calls.call("assets", "GET", "/assets/releases", query={"product": product.get("id"), "per_page": 5})
        if status == 403:
            downloads_allowed = False
        elif status == 200 and isinstance(body, dict):
            releases += body.get("items") or []
        calendar += _items("assets", "/assets/calendar", {"product": product.get("id")}) or []
    releases.sort(key=lambda release: str(release.get("released_on")), reverse=True)
    calendar.sort(key=lambda line_: str(line_.get("forecast_on")))
    return render_template("lines/space.html", brand=brand, products=products, news=news, blocks=blocks, kinds=KINDS, releases=releases,
                           calendar=calendar, downloads_allowed=downloads_allowed,
                           knowledge_url="/knowledge?brand=" + quote(brand, safe="")
                           if frame.page_exists("/knowledge") else None,
                           support_urls=[(product.get("name") or product.get("code"),
                                          "/support/requests/new?product=" + quote(str(product.get("code")), safe=""))
                                         for product in products if product.get("code")]
                           if frame.page_exists("/support/requests/new") else [],
                           downloads_url="/downloads" if frame.page_exists("/downloads") else None)

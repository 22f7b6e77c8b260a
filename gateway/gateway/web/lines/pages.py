"""``/spaces/<brand>``: a product line's space — its news (the items for its products), its updates and
release calendar (assets, for the line's products; the updates only to holders of "Download updates"),
and the entries to its knowledge base and to support. A brand the company does not hold is 404."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, g, render_template

from ..common import calls, frame, space_blueprint, visitor

bp = space_blueprint("lines", __name__)
PATH = "/spaces/"
NEWS_SHOWN = 10


def company_lines() -> list[dict]:
    """The product lines of the visitor's company (read once a request; none when it cannot be had)."""
    if "portal_lines" not in g:
        lines = []
        user = visitor.current_user()
        if user is not None and not getattr(user, "operator", False) and getattr(user, "company_id", None):
            status, body = calls.call("knowledge", "GET", "/knowledge/lines")
            if status == 200 and isinstance(body, dict) and isinstance(body.get("items"), list):
                lines = [line for line in body["items"] if isinstance(line, dict) and line.get("brand")]
        g.portal_lines = lines
    return g.portal_lines


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
    news = _items("knowledge", "/knowledge/news", {"brand": brand, "per_page": NEWS_SHOWN})
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
    return render_template("lines/space.html", brand=brand, products=products, news=news, releases=releases,
                           calendar=calendar, downloads_allowed=downloads_allowed,
                           knowledge_url="/knowledge?brand=" + quote(brand, safe="")
                           if frame.page_exists("/knowledge") else None,
                           support_urls=[(product.get("name") or product.get("code"),
                                          "/support/requests/new?product=" + quote(str(product.get("code")), safe=""))
                                         for product in products if product.get("code")]
                           if frame.page_exists("/support/requests/new") else [],
                           downloads_url="/downloads" if frame.page_exists("/downloads") else None)

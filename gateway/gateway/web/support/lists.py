"""``/support``: the lists of support requests — "My requests", "The company's requests", "Supervised
sites" — as tabs shown to the holders of each scope's service, with the criteria panel (status,
search word, product; a supervisor's company) and the pager."""
from __future__ import annotations

from flask import abort, redirect, render_template, request
from flask_babel import lazy_gettext

from ..common import calls, space_blueprint, visitor
from ..common.pager import last_page_of, page_number, pager, url_with
from . import words

bp = space_blueprint("support", __name__)
PATH = "/support"
PER_PAGE = 10
# Each tab: the scope support answers, its title, the service it needs.
SCOPES = {"own": (lazy_gettext("My requests"), words.REQUEST_SERVICE),
          "company": (lazy_gettext("The company's requests"), words.ADMINISTRATION),
          "supervised": (lazy_gettext("Supervised sites"), words.SUPERVISION)}


def scopes_of(user) -> list[str]:
    held = words.held(user)
    return [scope for scope, (_title, service) in SCOPES.items() if service in held]


def _companies() -> list[tuple[str, str]]:
    """The supervisor's company picker (as on Your IT assets): the companies identity lists."""
    listed = (calls.optional("/identity/companies") or {}).get("items") or []
    return [(item["company"]["id"], item["company"].get("name") or item["company"]["id"])
            for item in listed if isinstance(item, dict) and isinstance(item.get("company"), dict)
            and item["company"].get("id")]


def _criteria(args, scope: str, products: list, companies: list) -> dict:
    known_products, known_companies = {code for code, _ in products}, {code for code, _ in companies}
    return {"scope": scope,
            "status": args.get("status") if args.get("status") in words.STATUSES else "",
            "q": (args.get("q") or "").strip()[:100],
            "product": args.get("product") if args.get("product") in known_products else "",
            "company": args.get("company") if scope == "supervised" and args.get("company") in known_companies else ""}


@bp.route(PATH)
@visitor.signed_in_page
def index():
    """The requests of one scope (the first the visitor holds unless ``?scope=``), newest activity first."""
    scopes = scopes_of(visitor.current_user())
    if not scopes:
        abort(403)
    scope = request.args.get("scope") if request.args.get("scope") in scopes else scopes[0]
    products = words.products() if words.REQUEST_SERVICE in words.held(visitor.current_user()) else []
    companies = _companies() if scope == "supervised" else []
    criteria = _criteria(request.args, scope, products, companies)
    page = page_number(request.args.get("page"))
    answer = words.read("/support/requests", {**{name: value or None for name, value in criteria.items()},
                                              "page": page, "per_page": PER_PAGE})
    total = answer.get("total") or 0
    if total and page > last_page_of(total, PER_PAGE):
        return redirect(url_with(PATH, criteria, last_page_of(total, PER_PAGE)))
    shown = {name: value for name, value in criteria.items() if name != "scope"}
    return render_template("support/list.html", items=answer.get("items") or [], criteria=criteria,
                           scopes=[(name, SCOPES[name][0]) for name in scopes], products=products,
                           companies=companies, statuses=words.STATUSES, severities=words.SEVERITIES,
                           pager=pager(PATH, criteria, page, total, PER_PAGE), filtered=any(shown.values()),
                           may_open=words.REQUEST_SERVICE in words.held(visitor.current_user()),
                           request_path=words.request_path)

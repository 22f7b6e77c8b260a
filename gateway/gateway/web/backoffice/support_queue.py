"""The operators' support queue (``/operator/support``): criteria panel (status, severity, product,
company, assignee, clock state, a word) and pager, the requests opened and resolved per week as a
chart, and the deflections (requests not opened because a suggested article answered)."""
from __future__ import annotations

from datetime import date

from flask import redirect, render_template, request
from flask_babel import format_date, gettext, lazy_pgettext, pgettext

from ..common import space_blueprint, visitor
from ..common.charts import BarChart, Series
from ..common.pager import last_page_of, page_number, pager, url_with
from .access import operator_page, optional, read
from .support_labels import CLOCK_STATES, SEVERITIES, STATUSES, operators_by_id

bp = space_blueprint("backoffice_support_queue", __name__)

PATH = "/operator/support"
PER_PAGE = 20
WEEKS = 12
ID_SIZE = 64
ASSIGNEES = {"me": lazy_pgettext("support", "Mine"), "none": lazy_pgettext("support", "Unassigned")}


def _criteria(args, products: dict, operators: dict) -> dict:
    def one_of(name, known):
        return args.get(name) if args.get(name) in known else ""
    return {"status": one_of("status", STATUSES), "severity": one_of("severity", SEVERITIES),
            "product": one_of("product", products), "clock": one_of("clock", CLOCK_STATES),
            "assignee": one_of("assignee", {**ASSIGNEES, **operators}),
            "company": (args.get("company") or "").strip()[:ID_SIZE],
            "q": (args.get("q") or "").strip()[:100]}


def _products() -> dict:
    answer = optional("assets", "/operator/products", {"per_page": 200}) or {}
    return {product["id"]: f"{product['code']} — {product['name_en']}" for product in answer.get("items") or []}


def _weekly_chart() -> BarChart | None:
    answer = optional("support", "/operator/support/stats", {"weeks": WEEKS})
    weeks = (answer or {}).get("weeks")
    if not weeks:
        return None
    labels = [format_date(date.fromisoformat(week["week"]), "d MMM") for week in weeks]
    return BarChart(gettext("Week of"), labels,
                    [Series(pgettext("support chart", "Opened"), [week["opened"] for week in weeks]),
                     Series(pgettext("support chart", "Resolved"), [week["resolved"] for week in weeks])])


def _deflections() -> dict | None:
    answer = optional("support", "/operator/support/deflections", {"per_page": 5})
    if answer is None:
        return None
    by_article = sorted((answer.get("by_article") or {}).items(), key=lambda item: -item[1])
    return {"total": answer.get("total") or 0, "items": answer.get("items") or [], "by_article": by_article[:5]}


@bp.route(PATH)
@operator_page
def index():
    """The queue, most recently active first, with the weekly counts and the deflections."""
    products, operators = _products(), operators_by_id()
    criteria = _criteria(request.args, products, operators)
    page = page_number(request.args.get("page"))
    answer = read("support", "/operator/support/requests", {
        "status": criteria["status"] or None, "severity": criteria["severity"] or None,
        "product_id": criteria["product"] or None, "company_id": criteria["company"] or None,
        "assignee": criteria["assignee"] or None, "clock": criteria["clock"] or None,
        "q": criteria["q"] or None, "page": page, "per_page": PER_PAGE})
    total = answer.get("total") or 0
    if page > last_page_of(total, PER_PAGE):
        return redirect(url_with(PATH, criteria, last_page_of(total, PER_PAGE)))
    me = visitor.current_user().user_id
    assignees = [*ASSIGNEES.items(), *((operator_id, operator.get("display_name") or operator_id)
                                       for operator_id, operator in operators.items()
                                       if operator.get("status") != "disabled")]
    return render_template(
        "backoffice/support_queue.html", requests=answer.get("items") or [], criteria=criteria,
        pager=pager(PATH, criteria, page, total, PER_PAGE), filtered=any(criteria.values()),
        total_capped=bool(answer.get("total_capped")),
        statuses=STATUSES, severities=SEVERITIES, clock_states=CLOCK_STATES, products=products,
        assignees=assignees, operators=operators, me=me, chart=_weekly_chart(), deflections=_deflections())

"""The third-party associates screen (the administrator's manual, chapter 7), for holders of "User
Management - Supervision Administration of …": a picker of the supervised subtree's companies (with
"All" and "None"), their users with the users list's criteria, and the users list's own actions —
activation e-mails, "Add a user", "Import users" — on the associate chosen.

The actions are the users pages' views, named the company and told to come back here; identity
checks every company asked for against the caller's subtree (404 above or beside it).
"""
from __future__ import annotations

import functools
from urllib.parse import urlencode

from flask import abort, redirect, render_template, request

from ..common import calls, rights, space_blueprint, visitor
from ..common.pager import Pager, last_page_of, page_number
from .users import STATUSES, outcome

bp = space_blueprint("associates", __name__)

PATH = "/administration/associates"
PER_PAGE = 10
CRITERIA = ("q", "function", "status", "group", "administrators")
MAX_COMPANIES = 500


def supervisor_page(view):
    """Signed in and supervising some associate, else the 403 page."""
    @visitor.signed_in_page
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not rights.is_supervisor(visitor.current_user()):
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def subtree() -> list[tuple[dict, int]]:
    """The supervised companies, each with its depth, parents before their associates."""
    answer = calls.optional("/identity/companies")
    if answer is None:
        abort(503)
    companies = [item["company"] for item in answer.get("items") or []
                 if isinstance(item, dict) and item.get("relation") == "associate" and item.get("company")]
    by_parent: dict[str | None, list[dict]] = {}
    known = {company["id"] for company in companies}
    for company in companies:
        parent = company.get("parent_id") if company.get("parent_id") in known else None
        by_parent.setdefault(parent, []).append(company)
    ordered: list[tuple[dict, int]] = []
    placed: set[str] = set()

    def walk(parent, depth):
        for company in by_parent.get(parent, []):
            if company["id"] not in placed:  # a cycle operators somehow made ends here
                placed.add(company["id"])
                ordered.append((company, depth))
                walk(company["id"], depth + 1)
    walk(None, 0)
    # A company whose parent is in the subtree but never reached (a cycle) still gets its row.
    ordered += [(company, 0) for company in companies if company["id"] not in placed]
    return ordered


def criteria_from(args) -> dict:
    values = {name: (args.get(name) or "").strip()[:200] for name in CRITERIA}
    if values["status"] not in STATUSES:
        values["status"] = ""
    values["administrators"] = "1" if values["administrators"] else ""
    return values


def screen_url(criteria: dict, chosen: list[str] | None, page: int = 1) -> str:
    """This screen with its criteria; ``chosen`` None means every company (left out of the address)."""
    pairs = [(name, value) for name, value in criteria.items() if value]
    if chosen is not None:
        pairs += [("companies", company) for company in chosen] or [("companies", "")]
    if page > 1:
        pairs.append(("page", page))
    return PATH + ("?" + urlencode(pairs) if pairs else "")


def _chosen(args, ids: list[str]) -> list[str] | None:
    """The companies ticked (None: all of them); one outside the subtree is not found."""
    if "companies" not in args:
        return None
    chosen = list(dict.fromkeys(value for value in args.getlist("companies") if value))[:MAX_COMPANIES]
    if any(company not in ids for company in chosen):
        abort(404)
    return None if chosen and len(chosen) == len(ids) else chosen


@bp.route(PATH)
@supervisor_page
def index():
    """Pick companies of the subtree, then list, filter and act on their users."""
    tree = subtree()
    ids = [company["id"] for company, _ in tree]
    criteria = criteria_from(request.args)
    pick = request.args.get("pick")
    if pick in ("all", "none"):
        return redirect(screen_url(criteria, None if pick == "all" else []))
    chosen = _chosen(request.args, ids)
    companies = ids if chosen is None else chosen
    page = page_number(request.args.get("page"))
    groups = _groups(companies)
    if criteria["group"] and criteria["group"] not in {group.get("id") for group in groups}:
        criteria["group"] = ""  # a group of a company no longer ticked
    users, total = [], 0
    if companies:
        query = {name: value or None for name, value in criteria.items()}
        status, answer = calls.identity("GET", "/identity/users", query={
            **query, "companies": companies, "page": page, "per_page": PER_PAGE})
        if status in (403, 404):
            abort(status)
        if status != 200 or not isinstance(answer, dict):
            abort(503)
        users, total = answer.get("items") or [], answer.get("total") or 0
    last_page = last_page_of(total, PER_PAGE)
    if page > last_page:
        return redirect(screen_url(criteria, chosen, last_page))
    here = screen_url(criteria, chosen, page)
    acting_on = next((company for company, _ in tree if len(companies) == 1 and company["id"] == companies[0]), None)
    functions = (calls.optional("/identity/functions", {"company": acting_on["id"] if acting_on else None})
                 or {}).get("items") or []
    return render_template(
        "administration/associates.html", tree=tree, chosen=set(companies), all_chosen=chosen is None,
        criteria=criteria, statuses=STATUSES, functions=functions, groups=groups, users=users,
        pager=Pager(page, total, (page - 1) * PER_PAGE + 1 if total else 0, min(page * PER_PAGE, total), last_page,
                    screen_url(criteria, chosen, page - 1) if page > 1 else None,
                    screen_url(criteria, chosen, page + 1) if page < last_page else None),
        here_list=here, acting_on=acting_on, message=outcome(),
        action_query=urlencode({**({"company": acting_on["id"]} if acting_on else {}), "back": here}),
        filtered=any(criteria.values()))


def _groups(companies: list[str]) -> list[dict]:
    """The user groups of the ticked companies, for the group criterion."""
    if not companies:
        return []
    single = companies[0] if len(companies) == 1 else None
    answer = calls.optional("/identity/groups", {"company": single, "per_page": 200}) or {}
    return [group for group in answer.get("items") or []
            if isinstance(group, dict) and group.get("company_id") in companies]

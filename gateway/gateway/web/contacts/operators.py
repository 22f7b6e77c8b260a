"""The operators' read of a company's contacts: who is the main contact, the accounting, payroll
or IT contact, the signatory, and what each one is interested in."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request

from ..common import calls, space_blueprint
from ..common.pager import PER_PAGE, last_page_of, page_number, pager, url_with
from ..common.rights import operator_page
from .words import ROLES, catalog_items, interest_titles

bp = space_blueprint("operator_contacts", __name__)


@bp.route("/operator/companies/<company_id>/contacts")
@operator_page
def company_contacts(company_id):
    """A company's users, role holders first, with their roles and interests (operators)."""
    path = f"/operator/companies/{quote(company_id, safe='')}/contacts"
    criteria = {"q": (request.args.get("q") or "").strip()[:200], "role": request.args.get("role") or ""}
    if criteria["role"] not in ROLES:
        criteria["role"] = ""
    page = page_number(request.args.get("page"))
    body = calls.fetch(path, {**{k: v or None for k, v in criteria.items()}, "page": page, "per_page": PER_PAGE})
    total = body.get("total") or 0
    if page > last_page_of(total):
        return redirect(url_with(path, criteria, last_page_of(total)))
    titles = interest_titles(catalog_items("/operator/services", {}))
    if not body.get("company"):
        abort(503)
    return render_template("contacts/operator_contacts.html", company=body["company"], contacts=body.get("items") or [],
                           criteria=criteria, pager=pager(path, criteria, page, total), roles=ROLES, titles=titles,
                           path=path)

"""A company's holdings in the back office: what it holds (pager), the form recording a holding of a
product by its code, and a holding's removal, through assets' operator API."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, space_blueprint
from ..common.pager import last_page_of, page_number, pager, url_with
from .access import call, operator_page, read

bp = space_blueprint("backoffice_holdings", __name__)

PER_PAGE = 10
DONE = {"recorded": ("success", lazy_gettext("The holding has been recorded.")),
        "removed": ("success", lazy_gettext("The holding has been removed.")),
        "already_removed": ("error", lazy_gettext("This holding was removed already."))}


def _path(company_id: str) -> str:
    return "/operator/companies/" + quote(company_id, safe="") + "/holdings"


def _message():
    done = DONE.get(request.args.get("done", ""))
    return (done[0], str(done[1])) if done else None


def _render(company_id: str, page: int, values: dict, errors: dict, status: int = 200):
    company = read("identity", "/operator/companies/" + quote(company_id, safe="")).get("company") or {}
    answer = read("assets", "/operator/holdings", {"company_id": company_id, "page": page, "per_page": PER_PAGE})
    total = answer.get("total") or 0
    if status == 200 and page > last_page_of(total, PER_PAGE):
        return redirect(url_with(_path(company_id), {}, last_page_of(total, PER_PAGE)))
    return render_template("backoffice/company_holdings.html", company=company, holdings=answer.get("items") or [],
                           pager=pager(_path(company_id), {}, page, total, PER_PAGE), message=_message(),
                           values=values, errors=errors), status


@bp.route("/operator/companies/<company_id>/holdings")
@operator_page
def index(company_id):
    """What the company holds, oldest first, and the form of a new holding."""
    return _render(company_id, page_number(request.args.get("page")), {"quantity": "1"}, {})


def _product_by_code(code: str) -> dict | None:
    found = call("assets", "GET", "/operator/products", query={"q": code, "per_page": 200})[1]
    items = found.get("items") if isinstance(found, dict) else None
    return next((item for item in items or [] if (item.get("code") or "").lower() == code.lower()), None)


@bp.route("/operator/companies/<company_id>/holdings", methods=["POST"])
@operator_page
def record(company_id):
    """Record the company's holding of the product named by its code."""
    values = {"product_code": (request.form.get("product_code") or "").strip()[:64],
              "quantity": (request.form.get("quantity") or "").strip()[:7],
              "machine_id": (request.form.get("machine_id") or "").strip()[:64]}
    errors = {}
    product = _product_by_code(values["product_code"]) if values["product_code"] else None
    if product is None:
        errors["product_code"] = gettext("No product has this code.") if values["product_code"] else gettext(
            "This field is required.")
    if not values["quantity"].isdigit() or int(values["quantity"]) < 1:
        errors["quantity"] = gettext("Enter a whole number, 1 or more.")
    if not errors:
        status, answer = call("assets", "POST", "/operator/holdings", json={
            "company_id": company_id, "product_id": product["id"], "quantity": int(values["quantity"]),
            "machine_id": values["machine_id"] or None})
        if status == 201:
            return redirect(_path(company_id) + "?done=recorded")
        if status == 400:
            fields = calls.error_fields(answer)
            errors = {"machine_id" if name == "machine_id" else "quantity" if name == "quantity" else "product_code":
                      gettext("This value is not accepted.") for name in fields} or {
                "form": gettext("Check the form, then save again.")}
        else:
            abort(503)
    return _render(company_id, 1, values, errors, 400)


@bp.route("/operator/companies/<company_id>/holdings/<holding_id>/remove", methods=["POST"])
@operator_page
def remove(company_id, holding_id):
    """Remove the holding (assets keeps it, marked removed)."""
    holding = read("assets", "/operator/holdings/" + quote(holding_id, safe=""))
    if holding.get("company_id") != company_id:
        abort(404)
    status, _ = call("assets", "DELETE", "/operator/holdings/" + quote(holding_id, safe=""))
    if status == 409:
        return redirect(_path(company_id) + "?done=already_removed")
    if status != 204:
        abort(503)
    return redirect(_path(company_id) + "?done=removed")

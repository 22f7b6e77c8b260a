"""A company's holdings in the back office: what it holds (pager), the form recording a holding of a
product by its code, a holding's edit form (quantity, machine) and its removal, through assets'
operator API; each is in the company's trail (identity, from assets' events)."""
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
        "already_removed": ("error", lazy_gettext("This holding was removed already.")),
        "changed": ("success", lazy_gettext("The holding has been modified."))}


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


def _company_holding(company_id: str, holding_id: str) -> dict:
    """The holding, if it is this company's and not removed (404 otherwise)."""
    holding = read("assets", "/operator/holdings/" + quote(holding_id, safe=""))
    if holding.get("company_id") != company_id or holding.get("removed_at"):
        abort(404)
    return holding


def _edit_page(company_id: str, holding: dict, values: dict, errors: dict, status: int = 200):
    company = read("identity", "/operator/companies/" + quote(company_id, safe="")).get("company") or {}
    return render_template("backoffice/holding_form.html", company=company, holding=holding, values=values,
                           errors=errors), status


@bp.route("/operator/companies/<company_id>/holdings/<holding_id>/edit")
@operator_page
def edit(company_id, holding_id):
    """The form modifying a holding's quantity and machine identifier."""
    holding = _company_holding(company_id, holding_id)
    return _edit_page(company_id, holding, {"quantity": str(holding.get("quantity") or 1),
                                            "machine_id": holding.get("machine_id") or ""}, {})


@bp.route("/operator/companies/<company_id>/holdings/<holding_id>/edit", methods=["POST"])
@operator_page
def change(company_id, holding_id):
    """Save the holding's quantity and machine (a machine bound to a live code changes by a request)."""
    holding = _company_holding(company_id, holding_id)
    values = {"quantity": (request.form.get("quantity") or "").strip()[:7],
              "machine_id": (request.form.get("machine_id") or "").strip()[:64]}
    errors, refusal = {}, 400
    if not values["quantity"].isdigit() or int(values["quantity"]) < 1:
        errors["quantity"] = gettext("Enter a whole number, 1 or more.")
    if not errors:
        status, answer = call("assets", "PATCH", "/operator/holdings/" + quote(holding_id, safe=""), json={
            "quantity": int(values["quantity"]), "machine_id": values["machine_id"] or None})
        if status == 200:
            return redirect(_path(company_id) + "?done=changed", 303)
        if status == 409 and calls.error_code(answer) == "identifier_set":
            errors, refusal = {"machine_id": gettext(
                "A serialization code is bound to this machine: its identifier changes through an identifier "
                "change request.")}, 409
        elif status == 409:
            return redirect(_path(company_id) + "?done=already_removed", 303)
        elif status == 400:
            errors = {"machine_id" if name == "machine_id" else "quantity": gettext("This value is not accepted.")
                      for name in calls.error_fields(answer)} or {"form": gettext("Check the form, then save again.")}
        else:
            abort(503)
    return _edit_page(company_id, holding, values, errors, refusal)

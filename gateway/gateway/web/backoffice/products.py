"""The vendor's products in the back office: the list (words, kind, retired ones on demand, pager),
the form recording one, a product's edit form (its code is fixed) and its retirement, through
assets' operator API."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, space_blueprint
from ..common.pager import last_page_of, page_number, pager, url_with
from .access import call, operator_page, read

bp = space_blueprint("backoffice_products", __name__)

LIST_PATH = "/operator/products"
PER_PAGE = 10
KINDS = {"software": lazy_gettext("Software"), "hardware": lazy_gettext("Hardware")}
TEXTS = {"code": 64, "name_en": 200, "name_fr": 200, "brand": 100, "domain": 100}
DONE = {"created": ("success", lazy_gettext("The product has been recorded.")),
        "retired": ("success", lazy_gettext("The product has been retired: it takes no new holding.")),
        "already_retired": ("error", lazy_gettext("This product is retired already.")),
        "changed": ("success", lazy_gettext("The product has been modified."))}


def _criteria(args) -> dict:
    return {"q": (args.get("q") or "").strip()[:200],
            "kind": args.get("kind") if args.get("kind") in KINDS else "",
            "retired": "1" if args.get("retired") == "1" else ""}


def _message():
    done = DONE.get(request.args.get("done", ""))
    return (done[0], str(done[1])) if done else None


def _render(criteria: dict, page: int, values: dict, errors: dict, status: int = 200):
    answer = read("assets", LIST_PATH, {"q": criteria["q"] or None, "kind": criteria["kind"] or None,
                                        "retired": "true" if criteria["retired"] else None,
                                        "page": page, "per_page": PER_PAGE})
    total = answer.get("total") or 0
    return render_template("backoffice/products.html", products=answer.get("items") or [], criteria=criteria,
                           kinds=KINDS, pager=pager(LIST_PATH, criteria, page, total, PER_PAGE),
                           message=_message(), filtered=any(criteria.values()), values=values,
                           errors=errors), status


@bp.route(LIST_PATH)
@operator_page
def index():
    """The products by code, searched by words and kind, retired ones on demand; the form of a new one."""
    criteria = _criteria(request.args)
    page = page_number(request.args.get("page"))
    answer = read("assets", LIST_PATH, {"q": criteria["q"] or None, "page": 1, "per_page": 1,
                                        "kind": criteria["kind"] or None,
                                        "retired": "true" if criteria["retired"] else None})
    if page > last_page_of(answer.get("total") or 0, PER_PAGE):
        return redirect(url_with(LIST_PATH, criteria, last_page_of(answer.get("total") or 0, PER_PAGE)))
    return _render(criteria, page, {"kind": "software", "serializable": False}, {})


def _values(form) -> dict:
    values = {name: (form.get(name) or "").strip()[:size] for name, size in TEXTS.items()}
    values["kind"] = form.get("kind") if form.get("kind") in KINDS else ""
    values["serializable"] = form.get("serializable") == "on"
    values["major_version"] = (form.get("major_version") or "").strip()[:7]
    return values


def _check(values: dict) -> tuple[dict, dict]:
    """The errors of the form, and the body to send when there are none."""
    errors = {name: gettext("This field is required.") for name in ("code", "name_en", "name_fr") if not values[name]}
    if not values["kind"]:
        errors["kind"] = gettext("Choose a kind.")
    version = None
    if values["major_version"]:
        if not values["major_version"].isdigit():
            errors["major_version"] = gettext("Enter a whole number, or leave it empty.")
        else:
            version = int(values["major_version"])
    return errors, {**{name: values[name] for name in TEXTS}, "kind": values["kind"],
                    "serializable": values["serializable"], "major_version": version}


@bp.route(LIST_PATH, methods=["POST"])
@operator_page
def create():
    """Record the product (told to knowledge and support)."""
    values = _values(request.form)
    errors, body = _check(values)
    refusal = 400
    if not errors:
        status, answer = call("assets", "POST", LIST_PATH, json=body)
        if status == 201:
            return redirect(LIST_PATH + "?done=created")
        if status == 409 and calls.error_code(answer) == "product_exists":
            errors, refusal = {"code": gettext("Another product has this code.")}, 409
        elif status == 400:
            errors = {name: gettext("This value is not accepted.") for name in calls.error_fields(answer)} or {
                "form": gettext("Check the form, then save again.")}
        else:
            abort(503)
    return _render(_criteria({}), 1, values, errors, refusal)


@bp.route(LIST_PATH + "/<product_id>/retire", methods=["POST"])
@operator_page
def retire(product_id):
    """Retire the product: no new holding of it; those recorded stay."""
    status, _ = call("assets", "POST", f"{LIST_PATH}/{quote(product_id, safe='')}/retire")
    if status == 404:
        abort(404)
    if status == 409:
        return redirect(LIST_PATH + "?done=already_retired")
    if status != 200:
        abort(503)
    return redirect(LIST_PATH + "?done=retired")


def _edit_page(product: dict, values: dict, errors: dict, status: int = 200):
    return render_template("backoffice/product_form.html", product=product, values=values, errors=errors,
                           kinds=KINDS), status


@bp.route(LIST_PATH + "/<product_id>/edit")
@operator_page
def edit(product_id):
    """The form modifying a product: names, kind, brand, domain, major version, serializable."""
    product = read("assets", f"{LIST_PATH}/{quote(product_id, safe='')}")
    values = {name: product.get(name) or "" for name in TEXTS}
    values.update(kind=product.get("kind") or "", serializable=bool(product.get("serializable")),
                  major_version="" if product.get("major_version") is None else str(product["major_version"]))
    return _edit_page(product, values, {})


@bp.route(LIST_PATH + "/<product_id>/edit", methods=["POST"])
@operator_page
def change(product_id):
    """Save the product's changes (told to knowledge and support); a retired one is not changed."""
    product = read("assets", f"{LIST_PATH}/{quote(product_id, safe='')}")
    values = _values(request.form)
    values["code"] = product.get("code") or ""
    errors, body = _check(values)
    body.pop("code", None)
    refusal = 400
    if not errors:
        status, answer = call("assets", "PATCH", f"{LIST_PATH}/{quote(product_id, safe='')}", json=body)
        if status == 200:
            return redirect(LIST_PATH + "?done=changed", 303)
        if status == 409 and calls.error_code(answer) == "product_retired":
            errors, refusal = {"form": gettext("This product is retired: it cannot be changed any more.")}, 409
        elif status == 400:
            errors = {name: gettext("This value is not accepted.") for name in calls.error_fields(answer)} or {
                "form": gettext("Check the form, then save again.")}
        elif status == 404:
            abort(404)
        else:
            abort(503)
    return _edit_page(product, values, errors, refusal)

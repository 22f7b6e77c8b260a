""""Your IT assets": the company's holdings (and a supervisor's associates', one company picked in the
criteria panel or all of them), filtered by kind, by contract and by machine identifier, paged; serializable holdings under contract without a code can
be ticked, and the identifier box with the key button sends them to the serialization page."""
from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request
from flask_babel import gettext, lazy_gettext
from werkzeug.exceptions import MethodNotAllowed, NotFound

from ..common import calls, rights, space_blueprint, visitor
from ..common.pager import last_page_of, page_number, pager, url_with

bp = space_blueprint("inventory", __name__)

INVENTORY = "/assets/inventory"
SERIALIZATION = "/assets/serialization"
KINDS = {"software": lazy_gettext("Software"), "hardware": lazy_gettext("Hardware")}
CONTRACT = {"on": lazy_gettext("On contract"), "off": lazy_gettext("Off contract")}
MACHINE_ID_LENGTH = 64  # the assets service's limit (it refuses longer ones)


def _criteria(args) -> dict:
    return {"kind": args.get("kind") if args.get("kind") in KINDS else "",
            "contract": args.get("contract") if args.get("contract") in CONTRACT else "",
            "machine_id": (args.get("machine_id") or "").strip()[:MACHINE_ID_LENGTH],
            "company": (args.get("company") or "").strip()[:64]}


def serialization_page() -> bool:
    """Whether this app serves the serialization form's POST: the key button sends nothing elsewhere."""
    try:
        current_app.url_map.bind("localhost").match(SERIALIZATION, method="POST")
    except (NotFound, MethodNotAllowed):
        return False
    return True


@bp.route(INVENTORY)
@visitor.signed_in_page
def inventory():
    """List the company's holdings: product, quantity, machine, contract, serialization code."""
    criteria = _criteria(request.args)
    page = page_number(request.args.get("page"))
    status, answer = calls.call("assets", "GET", "/assets/inventory", query={
        **{name: value or None for name, value in criteria.items()}, "page": page, "per_page": 10})
    if status in (403, 404):
        abort(status)
    error = None
    if status == 400:
        # Only the machine identifier can be refused here (the other criteria are picked from lists).
        error = gettext("This identifier cannot be searched: use letters without accents, digits and signs only.")
        answer = {}
    elif status != 200 or not isinstance(answer, dict):
        abort(503)
    total = answer.get("total") or 0
    if page > last_page_of(total):
        return redirect(url_with(INVENTORY, criteria, last_page_of(total)))
    items = answer.get("items") or []
    return render_template("inventory/inventory.html", items=items, criteria=criteria, error=error,
                           companies=_companies(),
                           kinds=KINDS, contract=CONTRACT, pager=pager(INVENTORY, criteria, page, total),
                           filtered=any(criteria.values()), several_companies=len({
                               (item.get("company") or {}).get("id") for item in items}) > 1,
                           selectable=[item for item in items if _selectable(item)],
                           serialization=serialization_page(), machine_id_length=MACHINE_ID_LENGTH)


def _companies() -> list[tuple[str, str]]:
    """A supervisor's company picker: their own company and the associates they supervise (as identity
    lists them); empty for everyone else, who sees their own company only."""
    if not rights.is_supervisor(visitor.current_user()):
        return []
    listed = (calls.optional("/identity/companies") or {}).get("items") or []
    return [(item["company"]["id"], item["company"].get("name") or item["company"]["id"])
            for item in listed if isinstance(item, dict) and isinstance(item.get("company"), dict)
            and item["company"].get("id")]


def _selectable(item: dict) -> bool:
    """A serializable holding under contract with no live code yet: the key can compute its code."""
    return bool(item.get("serializable") and item.get("on_contract") and not item.get("serialization"))

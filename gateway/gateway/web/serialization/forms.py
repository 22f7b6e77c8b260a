"""``POST /assets/serialization`` (Your IT assets' key button: ``machine_id`` and the ticked
``holding_ids``) computes the codes and goes back to the inventory filtered on that identifier,
each code beside its product; a holding with another identifier already gets the change form,
``POST /assets/identifier-changes``, whose request an operator decides."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext

from ..common import calls, space_blueprint, visitor

bp = space_blueprint("serialization", __name__)

INVENTORY = "/assets/inventory"
MACHINE_ID_LENGTH = 64
MAX_SELECTION = 1000


def _selection() -> tuple[str, list[str]]:
    machine_id = (request.form.get("machine_id") or "").strip()[:MACHINE_ID_LENGTH + 1]
    holding_ids = [value[:32] for value in request.form.getlist("holding_ids") if value][:MAX_SELECTION]
    return machine_id, list(dict.fromkeys(holding_ids))


def _page(status: int, error: str | None = None, **context):
    return render_template("serialization/result.html", error=error, machine_id_length=MACHINE_ID_LENGTH,
                           inventory=INVENTORY, **context), status


@bp.route("/assets/serialization", methods=["POST"])
@visitor.signed_in_page
def serialize():
    """Compute the codes of the ticked holdings for the identifier given."""
    machine_id, holding_ids = _selection()
    if not holding_ids:
        return _page(400, gettext("Tick the products to compute a code for."))
    status, answer = calls.call("assets", "POST", "/assets/serializations",
                                json={"machine_id": machine_id, "holding_ids": holding_ids})
    if status == 201:
        return redirect(f"{INVENTORY}?machine_id={quote(machine_id, safe='')}")
    code = calls.error_code(answer)
    if status == 409 and code == "identifier_set":
        placed = list((calls.error_fields(answer).get("holding_ids") or {}).keys())
        return _page(409, gettext("Some of these products are installed on another machine already: its identifier "
                                  "is only changed on request, which an operator decides."),
                     change={"holding_ids": placed or holding_ids, "new_machine_id": machine_id})
    return _page(status if status in (400, 403, 404, 409, 429) else 503, _refusal(status, code))


def _refusal(status: int, code: str | None) -> str:
    if status == 400:
        return gettext("This identifier cannot be used: 1 to 64 printable characters.")
    if status == 429:
        return gettext("Your company has asked for many codes in a short time: try again in a few minutes.")
    if status == 403:
        return gettext("Codes are computed by your company's administrators and the holders of \"Download updates\".")
    if status == 404:
        return gettext("One of these products is no longer in your IT assets.")
    if status == 409:
        return gettext("Only serializable products under contract get a code.")
    return gettext("The codes could not be computed just now: try again later.")


@bp.route("/assets/identifier-changes", methods=["POST"])
@visitor.signed_in_page
def request_change():
    """File the identifier change of the holdings named; an operator decides it."""
    new_machine_id = (request.form.get("new_machine_id") or "").strip()[:MACHINE_ID_LENGTH + 1]
    holding_ids = [value[:32] for value in request.form.getlist("holding_ids") if value][:MAX_SELECTION]
    reason = (request.form.get("reason") or "").strip()[:2000]
    change = {"holding_ids": holding_ids, "new_machine_id": new_machine_id, "reason": reason}
    if not holding_ids:
        abort(400)
    if not reason:
        return _page(400, gettext("Say why the identifier changes (a new machine, a reinstallation…)."), change=change)
    status, answer = calls.call("assets", "POST", "/assets/identifier-changes", json=change)
    if status == 202:
        return _page(202, requested=True, machine_id=new_machine_id)
    code = calls.error_code(answer)
    if status == 409 and code == "change_pending":
        return _page(409, gettext("A change of these products' identifier already waits for an operator's decision."))
    if status == 409 and code == "identifier_unchanged":
        return _page(409, gettext("These products have this identifier already."))
    return _page(status if status in (400, 403, 404, 409, 429) else 503, _refusal(status, code), change=change)

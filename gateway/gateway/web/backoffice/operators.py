"""The vendor's operators in the back office: the list, a new operator (active at once, with the
strong level's password), and disabling one (never oneself, never the last active one)."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, space_blueprint, visitor
from ..common.pager import last_page_of, page_number, pager, url_with
from .access import call, operator_page, read

bp = space_blueprint("backoffice_operators", __name__)

LIST_PATH = "/operator/operators"
PER_PAGE = 25  # operators are few: one page holds them all but on a large team
FIELDS = {"email": 254, "first_name": 100, "last_name": 100}
DONE = {"created": ("success", lazy_gettext("The operator has been created and may sign in at once.")),
        "disabled": ("success", lazy_gettext("The operator has been disabled; their sessions have ended.")),
        "own_account": ("error", lazy_gettext("You cannot disable your own account.")),
        "last_operator": ("error", lazy_gettext("The last active operator cannot be disabled.")),
        "operator_disabled": ("error", lazy_gettext("This operator is disabled already."))}


def _listing(values: dict, errors: dict, status: int = 200):
    page = page_number(request.args.get("page"))
    answer = read("identity", LIST_PATH, {"page": page, "per_page": PER_PAGE})
    total = answer.get("total") or 0
    if page > last_page_of(total, PER_PAGE):
        return redirect(url_with(LIST_PATH, {}, last_page_of(total, PER_PAGE)))
    done = DONE.get(request.args.get("done", ""))
    return render_template("backoffice/operators.html", operators=answer.get("items") or [],
                           pager=pager(LIST_PATH, {}, page, total, PER_PAGE), values=values, errors=errors,
                           me=visitor.current_user().user_id,
                           message=(done[0], str(done[1])) if done else None), status


@bp.route(LIST_PATH)
@operator_page
def index():
    """The operators, active ones first, and the form of a new one."""
    return _listing({name: "" for name in FIELDS}, {})


@bp.route(LIST_PATH, methods=["POST"])
@operator_page
def create():
    """Create an operator with the password given (strong level)."""
    values = {name: (request.form.get(name) or "").strip()[:size] for name, size in FIELDS.items()}
    password = request.form.get("password") or ""
    errors = {}
    if not values["email"]:
        errors["email"] = gettext("This field is required.")
    if not password:
        errors["password"] = gettext("This field is required.")
    if errors:
        return _listing(values, errors, 400)
    status, body = call("identity", "POST", LIST_PATH, json={**values, "password": password[:4096]})
    if status == 201:
        return redirect(LIST_PATH + "?done=created")
    if status == 409:
        return _listing(values, {"email": gettext("A user account already exists with this e-mail address.")}, 409)
    if status == 400 and calls.error_code(body) == "password_rules":
        return _listing(values, {"password": gettext("The password does not meet the strong level's rules: at "
                                                     "least 10 characters of three kinds, not a common one, "
                                                     "nothing of the address or the names.")}, 400)
    if status == 400:
        return _listing(values, {name: gettext("This value is not accepted.") for name in calls.error_fields(body)}
                        or {"email": gettext("This value is not accepted.")}, 400)
    abort(503)


@bp.route(LIST_PATH + "/<operator_id>/disable", methods=["POST"])
@operator_page
def disable(operator_id):
    """Disable an operator: they can no longer sign in."""
    status, body = call("identity", "POST", f"{LIST_PATH}/{quote(operator_id, safe='')}/disable")
    if status == 404:
        abort(404)
    if status == 409:
        code = calls.error_code(body)
        return redirect(LIST_PATH + "?done=" + (code if code in DONE else "operator_disabled"))
    if status != 200:
        abort(503)
    return redirect(LIST_PATH + "?done=disabled")

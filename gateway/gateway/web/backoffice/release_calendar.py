"""The release calendar in the back office (``/operator/calendar``): its lines, soonest first, and
a form adding one (product, version, forecast date, actual date once out), through assets'
operator API. A release published for a line's version fills its actual date by itself."""
from __future__ import annotations

from flask import redirect, render_template, request
from flask_babel import gettext

from ..common import space_blueprint
from .access import call, operator_page, read

bp = space_blueprint("backoffice_calendar", __name__)
PATH = "/operator/calendar"
FIELDS = ("product_id", "version", "forecast_on", "released_on")


def _page(values: dict, errors: dict, status: int = 200, done: bool = False):
    lines = read("assets", PATH, {"per_page": 200}).get("items") or []
    products = read("assets", "/operator/products", {"per_page": 200}).get("items") or []
    options = [("", gettext("Choose a product"))] + [(p["id"], f"{p['code']} — {p['name_en']}") for p in products]
    return render_template("backoffice/release_calendar.html", lines=lines, options=options, values=values,
                           errors=errors, done=done), status


@bp.route(PATH)
@operator_page
def index():
    """The calendar's lines and the form adding one."""
    return _page({}, {}, done=request.args.get("done") == "created")


@bp.route(PATH, methods=["POST"])
@operator_page
def add():
    """Add a line; the API's refusals are shown beside their fields."""
    values = {name: (request.form.get(name) or "").strip()[:64] for name in FIELDS}
    body = {name: values[name] for name in ("product_id", "version", "forecast_on")}
    if values["released_on"]:
        body["released_on"] = values["released_on"]
    status, answer = call("assets", "POST", PATH, json=body)
    if status == 201:
        return redirect(PATH + "?done=created", 303)
    if status in (400, 409) and isinstance(answer, dict):
        fields = (answer.get("error") or {}).get("fields") or {}
        errors = {name: " ".join(messages) if isinstance(messages, list) else str(messages)
                  for name, messages in fields.items() if name in FIELDS}
        if status == 409:
            errors.setdefault("version", gettext("This product's version is in the calendar already."))
        return _page(values, errors or {"version": gettext("This line cannot be added.")}, 400)
    return _page(values, {"version": gettext("The calendar cannot be changed right now.")}, 503)

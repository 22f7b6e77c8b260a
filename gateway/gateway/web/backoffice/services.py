"""The catalog's services in the back office: the list (criteria, pager), a new service, a
service's edit, and its retirement (every subscription to it ends), through catalog's operator API."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import calls, space_blueprint
from ..common.details import LEVELS
from ..common.pager import last_page_of, page_number, pager, url_with
from .access import call, operator_page, read

bp = space_blueprint("backoffice_services", __name__)

LIST_PATH = "/operator/services"
PER_PAGE = 10
# The manual's nine families, as the catalog service names them; their French names are the
# catalog space's (its .po), shown with gettext at rendering.
FAMILIES = ("Administrative", "Community", "Information flow", "Management", "Product information",
            "Notifications", "Preferences", "Online services", "Support")
TEXTS = {"title_en": 200, "title_fr": 200, "description_en": 4000, "description_fr": 4000}
SWITCHES = ("needs_validation", "auto_subscribe", "needs_contract")
DONE = {"created": ("success", lazy_gettext("The service has been added to the catalog.")),
        "saved": ("success", lazy_gettext("The service has been saved.")),
        "retired": ("success", lazy_gettext("The service has been withdrawn from the catalog; its subscriptions "
                                            "have ended.")),
        "protected": ("error", lazy_gettext("Every company's administrators hold this service: it cannot be "
                                            "withdrawn.")),
        "already_retired": ("error", lazy_gettext("This service is withdrawn already."))}


def _criteria(args) -> dict:
    return {"q": (args.get("q") or "").strip()[:200],
            "family": args.get("family") if args.get("family") in FAMILIES else "",
            "retired": "1" if args.get("retired") == "1" else ""}


def _message():
    done = DONE.get(request.args.get("done", ""))
    return (done[0], str(done[1])) if done else None


@bp.route(LIST_PATH)
@operator_page
def index():
    """The catalog's services, searched and filtered by family, withdrawn ones on demand."""
    criteria = _criteria(request.args)
    page = page_number(request.args.get("page"))
    answer = read("catalog", LIST_PATH, {"q": criteria["q"] or None, "family": criteria["family"] or None,
                                         "retired": "true" if criteria["retired"] else None,
                                         "page": page, "per_page": PER_PAGE})
    total = answer.get("total") or 0
    if page > last_page_of(total, PER_PAGE):
        return redirect(url_with(LIST_PATH, criteria, last_page_of(total, PER_PAGE)))
    return render_template("backoffice/services.html", services=answer.get("items") or [], criteria=criteria,
                           families=FAMILIES, pager=pager(LIST_PATH, criteria, page, total, PER_PAGE),
                           message=_message(), filtered=any(criteria.values()))


def _values(form) -> dict:
    values = {name: (form.get(name) or "").strip()[:size] for name, size in TEXTS.items()}
    values.update({name: form.get(name) == "on" for name in SWITCHES})
    values["family"] = form.get("family") if form.get("family") in FAMILIES else ""
    level = form.get("min_security_level")
    values["min_security_level"] = int(level) if level in ("1", "2", "3") else 1
    return values


def _render(values: dict, errors: dict, service: dict | None = None, status: int = 200):
    return render_template("backoffice/service_form.html", values=values, errors=errors, service=service,
                           families=FAMILIES, levels=LEVELS, message=_message()), status


def _check(values: dict) -> dict:
    errors = {}
    if not values["title_en"]:
        errors["title_en"] = gettext("This field is required.")
    if not values["family"]:
        errors["family"] = gettext("Choose a family.")
    return errors


def _refused(status: int, body) -> dict:
    if status == 409 and calls.error_code(body) == "service_exists":
        return {"title_en": gettext("A service with this title exists already.")}
    if status == 400:
        return {name: gettext("This value is not accepted.") for name in calls.error_fields(body)} or {
            "form": gettext("Check the form, then save again.")}
    return {"form": gettext("The service could not be saved right now. Try again in a moment.")}


@bp.route(LIST_PATH + "/new")
@operator_page
def new():
    """The form of a new service."""
    return _render({**_values({"min_security_level": "1"}), "company_number": ""}, {})


def _company_by_number(number: str) -> dict | None:
    found = call("identity", "GET", "/operator/companies", query={"q": number, "per_page": 200})[1]
    items = found.get("items") if isinstance(found, dict) else None
    return next((item for item in items or [] if (item.get("number") or "").lower() == number.lower()), None)


@bp.route(LIST_PATH, methods=["POST"])
@operator_page
def create():
    """Add the service to the catalog (announced to every menu), for everyone or one company alone."""
    values = _values(request.form)
    values["company_number"] = (request.form.get("company_number") or "").strip()[:40]
    errors = _check(values)
    company = _company_by_number(values["company_number"]) if values["company_number"] else None
    if values["company_number"] and company is None:
        errors["company_number"] = gettext("No company has this number.")
    if errors:
        return _render(values, errors, status=400)
    json = {name: value for name, value in values.items() if name != "company_number"}
    if company is not None:
        json["scope_company_id"] = company["id"]
    status, body = call("catalog", "POST", LIST_PATH, json=json)
    if status == 201 and isinstance(body, dict):
        return redirect(f"{LIST_PATH}/{quote(body.get('id', ''), safe='')}?done=created")
    return _render(values, _refused(status, body), status=status if status in (400, 409) else 503)


@bp.route(LIST_PATH + "/<service_id>")
@operator_page
def edit(service_id):
    """A service's form, filled in, with its withdrawal."""
    service = read("catalog", f"{LIST_PATH}/{quote(service_id, safe='')}")
    values = {name: service.get(name) or "" for name in TEXTS}
    values.update({name: bool(service.get(name)) for name in SWITCHES})
    values.update(family=service.get("family") or "", min_security_level=service.get("min_security_level") or 1)
    return _render(values, {}, service)


@bp.route(LIST_PATH + "/<service_id>", methods=["POST"])
@operator_page
def save(service_id):
    """Save the service's changes; rights it no longer allows end at once."""
    service = read("catalog", f"{LIST_PATH}/{quote(service_id, safe='')}")
    values = _values(request.form)
    errors = _check(values)
    if errors:
        return _render(values, errors, service, 400)
    status, body = call("catalog", "PATCH", f"{LIST_PATH}/{quote(service_id, safe='')}", json=values)
    if status == 200:
        return redirect(f"{LIST_PATH}/{quote(service_id, safe='')}?done=saved")
    if status == 409 and calls.error_code(body) == "service_retired":
        return redirect(f"{LIST_PATH}/{quote(service_id, safe='')}?done=already_retired")
    if status == 409 and calls.error_code(body) == "last_administrator":
        return _render(values, {"form": gettext("This change would leave a company without an administrator.")},
                       service, 409)
    return _render(values, _refused(status, body), service, status if status in (400, 409) else 503)


@bp.route(LIST_PATH + "/<service_id>/retire", methods=["POST"])
@operator_page
def retire(service_id):
    """Withdraw the service from the catalog; every subscription to it ends."""
    status, body = call("catalog", "POST", f"{LIST_PATH}/{quote(service_id, safe='')}/retire")
    if status == 404:
        abort(404)
    if status == 409:
        code = calls.error_code(body)
        return redirect(f"{LIST_PATH}/{quote(service_id, safe='')}?done="
                        + ("protected" if code == "service_protected" else "already_retired"))
    if status != 200:
        abort(503)
    return redirect(LIST_PATH + "?done=retired")

"""The back office's companies: the list with its criteria panel and pager, and the creation of a
company (under another one, as its associate, when the form says so) with its first administrator."""
from __future__ import annotations

from urllib.parse import quote

from flask import redirect, render_template, request
from flask_babel import gettext

from ..common import calls, space_blueprint
from ..common.details import TITLES
from ..common.i18n import LANGUAGE_NAMES
from ..common.pager import last_page_of, page_number, pager, url_with
from .access import HOME, call, operator_page, optional

bp = space_blueprint("backoffice_companies", __name__)

LIST_PATH = "/operator/companies"
PER_PAGE = 10
COMPANY_FIELDS = {"number": 40, "name": 200, "postcode": 20, "city": 100}
ADMINISTRATOR_FIELDS = {"email": 254, "first_name": 100, "last_name": 100}


@bp.route(HOME)
@operator_page
def home():
    """The back office opens on its companies."""
    return redirect(LIST_PATH)


@bp.route(LIST_PATH)
@operator_page
def index():
    """Find companies by number, name, postcode or city, ten a page."""
    criteria = {"q": (request.args.get("q") or "").strip()[:200]}
    page = page_number(request.args.get("page"))
    status, answer = call("identity", "GET", "/operator/companies",
                          query={"q": criteria["q"] or None, "page": page, "per_page": PER_PAGE})
    if status != 200 or not isinstance(answer, dict):
        return render_template("backoffice/message.html", title=gettext("Companies"),
                               text=gettext("The companies cannot be listed right now. Try again in a moment.")), 503
    total = answer.get("total") or 0
    if page > last_page_of(total, PER_PAGE):
        return redirect(url_with(LIST_PATH, criteria, last_page_of(total, PER_PAGE)))
    return render_template("backoffice/companies.html", companies=answer.get("items") or [], criteria=criteria,
                           pager=pager(LIST_PATH, criteria, page, total, PER_PAGE), filtered=bool(criteria["q"]))


def _parent(parent_id: str) -> dict | None:
    if not parent_id:
        return None
    detail = optional("identity", "/operator/companies/" + quote(parent_id[:32], safe=""))
    return (detail or {}).get("company")


def _form_values(form) -> dict:
    values = {name: (form.get(name) or "").strip()[:size] for name, size in COMPANY_FIELDS.items()}
    values.update({f"administrator_{name}": (form.get(f"administrator_{name}") or "").strip()[:size]
                   for name, size in ADMINISTRATOR_FIELDS.items()})
    values["administrator_title"] = form.get("administrator_title") if form.get("administrator_title") in TITLES else ""
    values["administrator_language"] = (form.get("administrator_language")
                                        if form.get("administrator_language") in LANGUAGE_NAMES else "en")
    values["parent_id"] = (form.get("parent_id") or "").strip()[:32]
    values["siren"] = "".join((form.get("siren") or "").split())[:20]  # "732 829 320" as printed
    return values


def _render_form(values: dict, errors: dict, status: int = 200):
    return render_template("backoffice/company_form.html", values=values, errors=errors,
                           parent=_parent(values.get("parent_id", "")), titles=TITLES,
                           languages=LANGUAGE_NAMES), status


@bp.route(LIST_PATH + "/new")
@operator_page
def new():
    """The form of a new company and its first administrator (``?parent=`` makes it an associate)."""
    values = _form_values({})
    values["parent_id"] = (request.args.get("parent") or "").strip()[:32]
    return _render_form(values, {})


def _refusal_fields(body) -> dict:
    errors = {}
    for name, problem in calls.error_fields(body).items():
        if isinstance(problem, dict):  # the administrator's own fields
            errors.update({f"administrator_{sub}": gettext("This value is not accepted.") for sub in problem})
        else:
            errors[name] = gettext("This value is not accepted.")
    return errors


@bp.route(LIST_PATH, methods=["POST"])
@operator_page
def create():
    """Register the company; its administrator gets the activation e-mail."""
    values = _form_values(request.form)
    errors = {name: gettext("This field is required.")
              for name in ("number", "name", "administrator_email") if not values[name]}
    if errors:
        return _render_form(values, errors, 400)
    body = {**{name: values[name] for name in COMPANY_FIELDS}, "parent_id": values["parent_id"] or None,
            "siren": values["siren"] or None,
            "administrator": {"email": values["administrator_email"], "title": values["administrator_title"] or None,
                              "first_name": values["administrator_first_name"],
                              "last_name": values["administrator_last_name"],
                              "language": values["administrator_language"]}}
    status, answer = call("identity", "POST", "/operator/companies", json=body)
    if status == 201 and isinstance(answer, dict):
        company_id = (answer.get("company") or {}).get("id", "")
        return redirect(f"{LIST_PATH}/{quote(company_id, safe='')}?done=created")
    if calls.error_code(answer) in ("invalid_siren", "siren_taken"):
        return _render_form(values, {"siren": gettext("This is not a SIREN: nine digits whose last one is the Luhn key.")
                                     if status == 400 else gettext("Another company has this SIREN.")}, status)
    if status == 409:
        code = calls.error_code(answer)
        field = "number" if code == "company_exists" else "administrator_email"
        text = (gettext("A company with this number exists already.") if code == "company_exists"
                else gettext("A user account already exists with this e-mail address."))
        return _render_form(values, {field: text}, 409)
    if status == 400:
        return _render_form(values, _refusal_fields(answer) or {"form": gettext("Check the form, then save again.")}, 400)
    return _render_form(values, {"form": gettext("The company could not be created right now. Try again in a moment.")},
                        503)

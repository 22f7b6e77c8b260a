"""The operators' planning (``/operator/planning``): every planned service with the criteria panel
(company, kind, from, to) and the pager; a form to plan one (the company first, then its users as
recipient and contact); a service's page to move or edit it and to cancel it — through assets'
``/operator/interventions``. Times are typed in the company's time zone (assets applies it)."""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from ..common import space_blueprint
from ..common.pager import PER_PAGE, last_page_of, page_number, pager, url_with
from ..common.rights import operator_page
from ..common import calls

bp = space_blueprint("backoffice_planning", __name__)
PATH = "/operator/planning"
API = "/operator/interventions"
KINDS = {"on_site": lazy_gettext("On-site service"), "training": lazy_gettext("Training")}
TEXTS = ("subject", "place", "meeting_url", "access_code", "consultant", "order_number")
FIELDS = ("company_id", "recipient_id", "contact_id", "kind", "starts_at", "ends_at", *TEXTS)


def _read(service: str, path: str, query: dict | None = None) -> dict:
    status, body = calls.call(service, "GET", path, query=query)
    if status in (403, 404):
        abort(status)
    if status != 200 or not isinstance(body, dict):
        abort(503)
    return body


def _companies() -> list[tuple[str, str]]:
    """The companies to choose from (the first 200 by the identity's order)."""
    status, body = calls.call("identity", "GET", "/operator/companies", query={"per_page": 200})
    items = body.get("items") or [] if status == 200 and isinstance(body, dict) else []
    return [(c["id"], f"{c.get('number') or ''} — {c.get('name') or ''}") for c in items]


def _users(company_id: str) -> list[tuple[str, str]]:
    status, body = calls.call("identity", "GET", f"/operator/companies/{quote(company_id, safe='')}/users",
                              query={"per_page": 200})
    items = body.get("items") or [] if status == 200 and isinstance(body, dict) else []
    return [(u["id"], f"{u.get('display_name') or ''} <{u.get('email') or ''}>") for u in items]


def _day(value: str | None) -> str:
    try:
        return date.fromisoformat(value or "").isoformat()
    except ValueError:
        return ""


def _errors(status: int, answer) -> dict:
    fields = calls.error_fields(answer) if status == 400 else {}
    errors = {name: " ".join(messages) if isinstance(messages, list) else str(messages)
              for name, messages in fields.items()}
    if not errors:
        errors["form"] = (gettext("This service is cancelled: it cannot be changed.") if status == 409
                          else gettext("The planning cannot be changed right now."))
    return errors


@bp.route(PATH)
@operator_page
def index():
    """Every planned service, soonest first, by company, kind and days."""
    companies = _companies()
    criteria = {"company_id": request.args.get("company_id") or "",
                "kind": request.args.get("kind") if request.args.get("kind") in KINDS else "",
                "from": _day(request.args.get("from")), "to": _day(request.args.get("to"))}
    page = page_number(request.args.get("page"))
    answer = _read("assets", API, {"company_id": criteria["company_id"] or None, "kind": criteria["kind"] or None,
                                   "from": criteria["from"] or None, "to": criteria["to"] or None,
                                   "page": page, "per_page": PER_PAGE})
    total = answer.get("total") or 0
    if page > last_page_of(total):
        return redirect(url_with(PATH, criteria, last_page_of(total)))
    return render_template("planning/operator_list.html", items=answer.get("items") or [], criteria=criteria,
                           filtered=any(criteria.values()), pager=pager(PATH, criteria, page, total),
                           companies=companies, kinds=KINDS, done=request.args.get("done") or "")


def _plan_form(values: dict, errors: dict, status: int = 200):
    company_id = values.get("company_id") or ""
    companies = _companies()
    if company_id and company_id not in {code for code, _ in companies}:
        # Past the first 200 (a company's page links here with its id): named on its own.
        status_, body = calls.call("identity", "GET", f"/operator/companies/{quote(company_id, safe='')}")
        company = (body.get("company") or {}) if status_ == 200 and isinstance(body, dict) else {}
        if company:
            companies.insert(0, (company_id, f"{company.get('number') or ''} — {company.get('name') or ''}"))
    return render_template("planning/operator_plan.html", values=values, errors=errors, companies=companies,
                           users=_users(company_id) if company_id else [], kinds=KINDS), status


@bp.route(PATH + "/new")
@operator_page
def new():
    """Plan a service: choose the company, then fill in the service."""
    return _plan_form({"company_id": request.args.get("company_id") or ""}, {})


@bp.route(PATH + "/new", methods=["POST"])
@operator_page
def plan():
    """Plan the service; the API's refusals are shown beside their fields."""
    values = {name: (request.form.get(name) or "").strip()[:500] for name in FIELDS}
    body = {name: values[name] for name in FIELDS if values[name]}
    body.setdefault("kind", "")
    body.setdefault("starts_at", "")
    body.setdefault("ends_at", "")
    status, answer = calls.call("assets", "POST", API, json=body)
    if status == 201:
        return redirect(PATH + "?done=planned", 303)
    return _plan_form(values, _errors(status, answer), 400 if status in (400, 409) else 503)


def _service_page(intervention_id: str, values: dict | None = None, errors: dict | None = None, status: int = 200):
    item = _read("assets", f"{API}/{quote(intervention_id, safe='')}")
    values = values or {"starts_at": (item.get("starts_at") or "")[:16], "ends_at": (item.get("ends_at") or "")[:16],
                        **{name: item.get(name) or "" for name in TEXTS}}
    return render_template("planning/operator_service.html", item=item, values=values, errors=errors or {},
                           kinds=KINDS, done=request.args.get("done") or ""), status


@bp.route(PATH + "/<intervention_id>")
@operator_page
def service(intervention_id):
    """A planned service: move or edit it, or cancel it."""
    return _service_page(intervention_id)


@bp.route(PATH + "/<intervention_id>", methods=["POST"])
@operator_page
def change(intervention_id):
    """Move or edit the service (the recipient and the contact are mailed)."""
    values = {name: (request.form.get(name) or "").strip()[:500] for name in ("starts_at", "ends_at", *TEXTS)}
    body = {name: values[name] for name in ("starts_at", "ends_at") if values[name]}
    body.update({name: values[name] or None for name in TEXTS if name != "subject"})
    body["subject"] = values["subject"]
    status, answer = calls.call("assets", "PATCH", f"{API}/{quote(intervention_id, safe='')}", json=body)
    if status == 200:
        return redirect(f"{PATH}/{quote(intervention_id, safe='')}?done=changed", 303)
    if status == 404:
        abort(404)
    return _service_page(intervention_id, values, _errors(status, answer), 400 if status in (400, 409) else 503)


@bp.route(PATH + "/<intervention_id>/cancel", methods=["POST"])
@operator_page
def cancel(intervention_id):
    """Cancel the service (with the reason given); the recipient and the contact are mailed."""
    reason = (request.form.get("reason") or "").strip()[:500]
    status, answer = calls.call("assets", "POST", f"{API}/{quote(intervention_id, safe='')}/cancel",
                                json={"reason": reason or None})
    if status == 200:
        return redirect(f"{PATH}/{quote(intervention_id, safe='')}?done=cancelled", 303)
    if status == 404:
        abort(404)
    return _service_page(intervention_id, None, _errors(status, answer), 400 if status in (400, 409) else 503)

"""A company's page in the back office: its details (its SIREN set or cleared), the company it is an
associate of, its associates' tree (link one by its number, unlink one), and its maintenance
contracts (record, end). Every action answers with the page again and a message saying what happened."""
from __future__ import annotations

from datetime import date, datetime, timezone
from urllib.parse import quote

from flask import abort, redirect, render_template, request
from flask_babel import lazy_gettext

from ..common import space_blueprint
from .access import call, operator_page, optional, read

bp = space_blueprint("backoffice_company", __name__)

PAGE = "/operator/companies/<company_id>"
CONTRACTS_SHOWN = 50
HOLDINGS_SHOWN = 200  # the checkboxes of the contract form (the API's largest page)
DONE = {
    "created": ("success", lazy_gettext("The company has been created; its administrator has been sent the "
                                        "activation e-mail.")),
    "linked": ("success", lazy_gettext("The associate has been linked under this company.")),
    "unlinked": ("success", lazy_gettext("The associate has been unlinked: it stands alone now.")),
    "recorded": ("success", lazy_gettext("The contract has been recorded.")),
    "ended": ("success", lazy_gettext("The contract has ended.")),
    "end_planned": ("success", lazy_gettext("The contract's last day has been set.")),
    "unknown_number": ("error", lazy_gettext("No company has this number.")),
    "cycle": ("error", lazy_gettext("This link would make a company an associate of its own associate.")),
    "same": ("error", lazy_gettext("A company cannot be its own associate.")),
    "bad_dates": ("error", lazy_gettext("Check the dates: the first day is required, the last day cannot come "
                                        "before it, and an end cannot be in the past.")),
    "already_ended": ("error", lazy_gettext("This contract has ended already.")),
    "failed": ("error", lazy_gettext("This could not be done right now. Try again in a moment.")),
    "siren_set": ("success", lazy_gettext("The SIREN has been saved.")),
    "invalid_siren": ("error", lazy_gettext("This is not a SIREN: nine digits whose last one is the Luhn key.")),
    "siren_taken": ("error", lazy_gettext("Another company has this SIREN.")),
}


def company_url(company_id: str, **extra) -> str:
    query = "&".join(f"{key}={quote(str(value), safe='')}" for key, value in extra.items())
    return "/operator/companies/" + quote(company_id, safe="") + ("?" + query if query else "")


def message():
    done = DONE.get(request.args.get("done", ""))
    return (done[0], str(done[1])) if done else None


@bp.route(PAGE)
@operator_page
def show(company_id):
    """The company, its place in the tree, its associates and its contracts."""
    detail = read("identity", "/operator/companies/" + quote(company_id, safe=""))
    contracts = optional("assets", "/operator/contracts", {"company_id": company_id, "per_page": CONTRACTS_SHOWN})
    # The holdings a new contract may name (none ticked: it covers all of them, as the contract says).
    holdings = optional("assets", "/operator/holdings", {"company_id": company_id, "per_page": HOLDINGS_SHOWN})
    return render_template("backoffice/company.html", detail=detail, company=detail.get("company") or {},
                           holdings=None if holdings is None else holdings.get("items") or [],
                           holdings_total=(holdings or {}).get("total") or 0,
                           contracts=None if contracts is None else contracts.get("items") or [],
                           contract_total=(contracts or {}).get("total") or 0, message=message(),
                           today=datetime.now(timezone.utc).date().isoformat())


def _company_by_number(number: str) -> dict | None:
    found = optional("identity", "/operator/companies", {"q": number, "per_page": 200}) or {}
    return next((item for item in found.get("items") or []
                 if (item.get("number") or "").lower() == number.lower()), None)


@bp.route(PAGE + "/associates", methods=["POST"])
@operator_page
def link(company_id):
    """Link the company of the number given under this one."""
    number = (request.form.get("number") or "").strip()[:40]
    associate = _company_by_number(number) if number else None
    if associate is None:
        return redirect(company_url(company_id, done="unknown_number"))
    if associate.get("id") == company_id:
        return redirect(company_url(company_id, done="same"))
    status, body = call("identity", "POST", f"/operator/companies/{quote(company_id, safe='')}/associates",
                        json={"company_id": associate["id"]})
    if status == 404:
        abort(404)
    if status == 409:
        return redirect(company_url(company_id, done="cycle"))
    return redirect(company_url(company_id, done="linked" if status == 201 else "failed"))


@bp.route(PAGE + "/siren", methods=["POST"])
@operator_page
def set_siren(company_id):
    """Set (or clear, when empty) the company's SIREN: it may then have declarant accounts."""
    siren = "".join((request.form.get("siren") or "").split())[:20] or None  # "732 829 320" as printed
    status, body = call("identity", "PATCH", "/operator/companies/" + quote(company_id, safe=""), json={"siren": siren})
    if status == 404:
        abort(404)
    code = ((body or {}).get("error") or {}).get("code") if isinstance(body, dict) else None
    if status in (400, 409) and code in DONE:
        return redirect(company_url(company_id, done=code))
    return redirect(company_url(company_id, done="siren_set" if status == 200 else "failed"))


@bp.route(PAGE + "/associates/<associate_id>/unlink", methods=["POST"])
@operator_page
def unlink(company_id, associate_id):
    """Take a direct associate out from under this company."""
    status, _ = call("identity", "DELETE", f"/operator/companies/{quote(company_id, safe='')}/associates/"
                                           f"{quote(associate_id, safe='')}")
    if status == 404:
        abort(404)
    return redirect(company_url(company_id, done="unlinked" if status == 204 else "failed"))


def _date(value: str | None) -> str | None:
    """A date the form gave (``YYYY-MM-DD``), else None."""
    try:
        return date.fromisoformat((value or "").strip()).isoformat()
    except ValueError:
        return None


@bp.route(PAGE + "/contracts", methods=["POST"])
@operator_page
def record_contract(company_id):
    """Record the company's maintenance contract (assets announces it on its first day)."""
    starts_on, ends_text = _date(request.form.get("starts_on")), (request.form.get("ends_on") or "").strip()
    ends_on = _date(ends_text)
    if starts_on is None or (ends_text and ends_on is None):
        return redirect(company_url(company_id, done="bad_dates"))
    read("identity", "/operator/companies/" + quote(company_id, safe=""))  # 404 for a company that is not
    holding_ids = list(dict.fromkeys(value[:32] for value in request.form.getlist("holding_ids") if value))
    status, _ = call("assets", "POST", "/operator/contracts",
                     json={"company_id": company_id, "starts_on": starts_on, "ends_on": ends_on,
                           **({"holding_ids": holding_ids[:HOLDINGS_SHOWN]} if holding_ids else {})})
    if status == 400:
        return redirect(company_url(company_id, done="bad_dates"))
    return redirect(company_url(company_id, done="recorded" if status == 201 else "failed"))


@bp.route(PAGE + "/contracts/<contract_id>/end", methods=["POST"])
@operator_page
def end_contract(company_id, contract_id):
    """End a contract today, or set its last day."""
    ends_text = (request.form.get("ends_on") or "").strip()
    ends_on = _date(ends_text)
    if ends_text and ends_on is None:
        return redirect(company_url(company_id, done="bad_dates"))
    contract = optional("assets", "/operator/contracts/" + quote(contract_id, safe=""))
    if contract is None or contract.get("company_id") != company_id:
        abort(404)
    status, body = call("assets", "POST", f"/operator/contracts/{quote(contract_id, safe='')}/end",
                        json={"ends_on": ends_on} if ends_on else {})
    if status == 409:
        return redirect(company_url(company_id, done="already_ended"))
    if status == 400:
        return redirect(company_url(company_id, done="bad_dates"))
    if status != 200:
        return redirect(company_url(company_id, done="failed"))
    ended = isinstance(body, dict) and body.get("status") == "ended"
    return redirect(company_url(company_id, done="ended" if ended else "end_planned"))

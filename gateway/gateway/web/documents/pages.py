""""Invoices" and "Reports and attendance sheets": the documents the visitor's services show (their
company's, and a supervised associate's, the company named), filtered, newest first, paged, with the
total of the listed invoices less credits per currency; a print view of the same list."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask import abort, redirect, render_template, request
from flask_babel import format_date, format_decimal, gettext, lazy_gettext

from ..common import calls, space_blueprint, visitor
from ..common.pager import last_page_of, page_number, pager, url_with

bp = space_blueprint("documents", __name__)

INVOICE_VIEWING = "invoice-viewing-service"
REPORTS_VIEWING = "intervention-reports-and-attendance-sheet-viewing-service"
KIND_NAMES = {"invoice": lazy_gettext("Invoice"), "credit": lazy_gettext("Credit"),
              "intervention_report": lazy_gettext("Intervention report"),
              "attendance_sheet": lazy_gettext("Attendance sheet")}
PRINT_ROWS = 200  # the print view shows this many (the API's largest page)


def size_text(size: int) -> str:
    """A file size for people (binary units, one decimal)."""
    value, unit = float(size or 0), "B"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            break
        value /= 1024
    return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"


def day_text(value) -> str:
    """A ``YYYY-MM-DD`` date in the page's language (as is if it cannot be read)."""
    try:
        return format_date(date.fromisoformat(str(value)), "medium")
    except ValueError:
        return str(value or "")


class List:
    """One of the two lists: its path, kinds, criteria and texts."""

    def __init__(self, key, path, kinds, title, priced):
        self.key, self.path, self.kinds, self.title, self.priced = key, path, kinds, title, priced


INVOICES = List("invoices", "/documents/invoices", ("invoice", "credit"), lazy_gettext("Invoices"), True)
REPORTS = List("reports", "/documents/reports", ("intervention_report", "attendance_sheet"),
               lazy_gettext("Reports and attendance sheets"), False)


def _held(code: str) -> bool:
    user = visitor.current_user()
    return any(entitlement.startswith(code + "@") for entitlement in (user.entitlements or ()))


def _day(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return ""


def _amount(value: str) -> str:
    text = value.replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return ""
    return str(number) if number.is_finite() and number >= 0 else ""


def criteria_of(listed: List, args) -> tuple[dict, dict]:
    """The criteria asked for, and the errors of those that cannot be read."""
    criteria = {"kind": args.get("kind") if args.get("kind") in listed.kinds else "",
                "number": (args.get("number") or "").strip()[:64],
                "from": _day((args.get("from") or "").strip()), "to": _day((args.get("to") or "").strip())}
    errors = {}
    if listed.priced:
        for name in ("min", "max"):
            raw = (args.get(name) or "").strip()[:20]
            criteria[name] = _amount(raw) if raw else ""
            if raw and not criteria[name]:
                errors[name] = gettext("Enter an amount, such as 1250.50.")
    else:
        criteria["intervention"] = (args.get("intervention") or "").strip()[:64]
    return criteria, errors


def _query(listed: List, criteria: dict, page: int, per_page: int) -> dict:
    return {"kind": criteria["kind"] or ",".join(listed.kinds), "number": criteria["number"] or None,
            "issued_from": criteria["from"] or None, "issued_to": criteria["to"] or None,
            "amount_min": criteria.get("min") or None, "amount_max": criteria.get("max") or None,
            "intervention": criteria.get("intervention") or None, "page": page, "per_page": per_page}


def _fetch(listed: List, criteria: dict, page: int, per_page: int) -> dict:
    status, answer = calls.call("assets", "GET", "/assets/documents", query=_query(listed, criteria, page, per_page))
    if status in (403, 404):
        abort(status)
    if status == 400:
        return {"items": [], "total": 0, "totals": []}
    if status != 200 or not isinstance(answer, dict):
        abort(503)
    return answer


def money(amount, currency) -> str:
    """An amount in the page's language, with its currency (as is if it cannot be read)."""
    if amount in (None, ""):
        return ""
    try:
        return f"{format_decimal(Decimal(str(amount)), format='#,##0.00')} {currency or ''}".strip()
    except (InvalidOperation, ValueError):
        return f"{amount} {currency or ''}".strip()


def _render(listed: List, template: str, printing: bool):
    criteria, errors = criteria_of(listed, request.args)
    page = 1 if printing else page_number(request.args.get("page"))
    per_page = PRINT_ROWS if printing else 10
    answer = _fetch(listed, criteria, page, per_page) if not errors else {"items": [], "total": 0, "totals": []}
    total = answer.get("total") or 0
    if not printing and page > last_page_of(total):
        return redirect(url_with(listed.path, criteria, last_page_of(total)))
    items = answer.get("items") or []
    return render_template(template, listed=listed, items=items, criteria=criteria, errors=errors,
                           totals=answer.get("totals") or [], total=total, kind_names=KIND_NAMES,
                           kinds={kind: KIND_NAMES[kind] for kind in listed.kinds},
                           pager=pager(listed.path, criteria, page, total), filtered=any(criteria.values()),
                           several_companies=len({(item.get("company") or {}).get("id") for item in items}) > 1,
                           print_url=url_with(listed.path + "/print", criteria), money=money, day_text=day_text,
                           size_text=size_text, today=day_text(date.today().isoformat()),
                           show_tabs=_held(INVOICE_VIEWING) and _held(REPORTS_VIEWING))


@bp.route("/documents")
@visitor.signed_in_page
def documents_home():
    """The administrative documents: the invoices, else the reports, whichever the visitor may see."""
    if _held(INVOICE_VIEWING):
        return redirect(INVOICES.path)
    if _held(REPORTS_VIEWING):
        return redirect(REPORTS.path)
    abort(403)


@bp.route(INVOICES.path)
@visitor.signed_in_page
def invoices():
    """The invoices and credits, with the total of the listed ones per currency (needs "Invoice viewing service")."""
    return _render(INVOICES, "documents/list.html", printing=False)


@bp.route(INVOICES.path + "/print")
@visitor.signed_in_page
def invoices_print():
    """The invoices and credits listed, laid out for printing."""
    return _render(INVOICES, "documents/print.html", printing=True)


@bp.route(REPORTS.path)
@visitor.signed_in_page
def reports():
    """The intervention reports and attendance sheets (needs their viewing service)."""
    return _render(REPORTS, "documents/list.html", printing=False)


@bp.route(REPORTS.path + "/print")
@visitor.signed_in_page
def reports_print():
    """The reports and sheets listed, laid out for printing."""
    return _render(REPORTS, "documents/print.html", printing=True)

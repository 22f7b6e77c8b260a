"""The CSV index of a bulk upload of documents, read (UTF-8 with or without BOM, or Windows-1252;
``;`` or ``,``; a header line optional) and each line judged:

`Company number;Kind;Number;Date;Amount;Currency;File name[;Intervention]`

Kinds are the API's codes or their English or French names (``Facture``, ``Avoir``…); dates are
``YYYY-MM-DD`` or ``DD/MM/YYYY``; amounts take a decimal point or comma (``1 234,50``).
"""
from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from portalkit.errors import PortalError

from .document_schemas import PRICED, amount_problem
from .models import DOCUMENT_KINDS

COLUMNS = ("company_number", "kind", "number", "issued_on", "amount", "currency", "file_name")
OPTIONAL = ("intervention",)
KIND_NAMES = {**{kind: kind for kind in DOCUMENT_KINDS},
              "facture": "invoice", "credit_note": "credit", "avoir": "credit",
              "report": "intervention_report", "rapport": "intervention_report",
              "rapport_d_intervention": "intervention_report", "rapport_intervention": "intervention_report",
              "sheet": "attendance_sheet", "feuille_de_presence": "attendance_sheet",
              "feuille_d_emargement": "attendance_sheet", "feuille_de_présence": "attendance_sheet",
              "feuille_d_émargement": "attendance_sheet"}
REASONS = {
    "missing_columns": "The line has fewer than the 7 columns of the index.",
    "too_many_columns": "The line has more than the 8 columns of the index.",
    "unbalanced_quote": "A quote opens a cell that does not close on this line.",
    "unknown_company": "No company has this number.",
    "unknown_kind": "The kind is not invoice, credit, intervention_report or attendance_sheet.",
    "bad_number": "The number is missing, longer than 64 characters or not printable.",
    "bad_date": "The date is not a date (YYYY-MM-DD or DD/MM/YYYY).",
    "bad_amount": "The amount is missing, not a positive number with two decimals at most, or given for a report.",
    "bad_currency": "The currency is missing or not a code of three letters (EUR, XPF…), or given for a report.",
    "bad_intervention": "The intervention is longer than 64 characters, or given for an invoice or a credit.",
    "duplicate_in_file": "An earlier line of the index has the same company, kind and number.",
    "document_exists": "The company already has a document of this kind with this number.",
    "missing_file": "The ZIP holds no file of this name.",
    "file_used_twice": "An earlier line of the index names the same file.",
    "not_a_pdf": "The file is not a PDF document.",
    "too_large": "The file is larger than the size accepted.",
    "bad_zip_member": "The file cannot be read from the ZIP (damaged, encrypted, or not the size the ZIP declares).",
}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PRINTABLE = re.compile(r"^[!-~](?:[ -~]*[!-~])?\Z")


@dataclass
class Line:
    """One line of the index: its number, its cells, its values once read, or why it is refused."""

    number: int
    cells: list[str]
    values: dict = field(default_factory=dict)
    reason: str | None = None


def refusal(code: str, message: str) -> PortalError:
    return PortalError(400, code, message, {"file": [message]})


def decode(raw: bytes) -> str:
    """The index's text: UTF-8 (with or without BOM), else Windows-1252; 400 if it is not text."""
    candidates = [("utf-8", raw[len(codecs.BOM_UTF8):])] if raw.startswith(codecs.BOM_UTF8) \
        else [("utf-8", raw), ("cp1252", raw)]
    for encoding, data in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text):
            return text
    raise refusal("index_not_csv", "The index is not CSV text (UTF-8 or Windows-1252).")


def read_lines(text: str, max_lines: int) -> list[Line]:
    """The index's non-blank lines, a header left out, each with its line number."""
    numbered = [(number, line) for number, line in enumerate(_LINE_BREAK.split(text), start=1) if line.strip()]
    if not numbered:
        raise refusal("empty_index", "The index holds no line.")
    first = numbered[0][1]
    delimiter = ";" if ";" in first else "," if "," in first else None
    if delimiter is None:
        raise refusal("csv_separator", "Separate the index's columns with ';' or ','.")
    lines = []
    for number, physical in numbered:
        try:
            [cells] = csv.reader([physical], delimiter=delimiter, strict=True)
            line = Line(number, [cell.strip() for cell in cells])
        except csv.Error:
            line = Line(number, [], reason="unbalanced_quote")
        if line.reason or any(line.cells):
            lines.append(line)
    if lines and lines[0].reason is None and _is_header(lines[0].cells):
        lines.pop(0)
    if len(lines) > max_lines:
        raise PortalError(413, "too_many_lines", f"The index has more than {max_lines:,} lines: split it.",
                          {"file": [f"more than {max_lines} lines"]})
    if not lines:
        raise refusal("empty_index", "The index holds no line.")
    return lines


def _is_header(cells: list[str]) -> bool:
    return len(cells) > 3 and _kind(cells[1]) is None and re.search(
        "kind|type|nature|genre", cells[1], re.IGNORECASE) is not None


def _kind(cell: str) -> str | None:
    return KIND_NAMES.get(re.sub(r"[\s'’-]+", "_", cell.strip().lower()))


def _date(cell: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(cell, pattern).date()
        except ValueError:
            continue
    return None


def _amount(cell: str) -> Decimal | None:
    text = re.sub(r"[\s\u00a0\u202f]", "", cell)
    if "," in text:
        if "." in text:
            text = text.replace(",", "")  # 1,234.50
        else:
            text = text.replace(",", ".")  # 1234,50
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return None if amount_problem(value) else value


def judge(lines: list[Line]) -> list[Line]:
    """Read each line's values, or name the first reason it is refused for (the companies, the
    documents already stored and the ZIP's files are the caller's to check)."""
    seen: set[tuple] = set()
    files: set[str] = set()
    for line in lines:
        if line.reason is not None:
            continue
        cells = list(line.cells)
        while len(cells) > len(COLUMNS) + len(OPTIONAL) and not cells[-1]:
            cells.pop()  # Excel's trailing separators
        if len(cells) < len(COLUMNS):
            line.reason = "missing_columns"
            continue
        if len(cells) > len(COLUMNS) + len(OPTIONAL):
            line.reason = "too_many_columns"
            continue
        values = dict(zip(COLUMNS + OPTIONAL, cells))
        line.reason = _refusal(values)
        if line.reason is None:
            key = (values["company_number"], values["kind"], values["number"])
            if key in seen:
                line.reason = "duplicate_in_file"
            elif values["file_name"] in files:
                line.reason = "file_used_twice"
            seen.add(key)
            files.add(values["file_name"])
        if line.reason is None:
            line.values = values
    return lines


def _refusal(values: dict) -> str | None:
    kind = _kind(values["kind"])
    if kind is None:
        return "unknown_kind"
    values["kind"] = kind
    if not values["company_number"]:
        return "unknown_company"
    if not _PRINTABLE.match(values["number"]) or len(values["number"]) > 64:
        return "bad_number"
    values["issued_on"] = _date(values["issued_on"])
    if values["issued_on"] is None:
        return "bad_date"
    priced = kind in PRICED
    amount, currency = values["amount"], values["currency"].upper()
    if priced:
        values["amount"] = _amount(amount)
        if values["amount"] is None:
            return "bad_amount"
        if not re.fullmatch(r"[A-Z]{3}", currency):
            return "bad_currency"
        values["currency"] = currency
    else:
        if amount:
            return "bad_amount"
        if currency:
            return "bad_currency"
        values["amount"] = values["currency"] = None
    intervention = values.get("intervention") or None
    if intervention is not None and (priced or len(intervention) > 64 or not _PRINTABLE.match(intervention)):
        return "bad_intervention"
    values["intervention"] = intervention
    if not values["file_name"]:
        return "missing_file"
    return None

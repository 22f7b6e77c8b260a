"""The users CSV of the administrator's manual, read (any of its encodings and separators, with
or without a header) and each line judged; and cells made safe for spreadsheets on the way out.

`Civility;Last name;First name;Email address;Phone;Mobile;Language code;Security level`
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

from marshmallow import ValidationError
from marshmallow.validate import Email

from portalkit.errors import PortalError
from portalkit.fields import is_single_line, portal_language

COLUMNS = ("title", "last_name", "first_name", "email", "office_phone", "mobile_phone", "language",
           "security_level")
HEADER = ("Civility", "Last name", "First name", "Email address", "Phone", "Mobile", "Language code",
          "Security level")
CIVILITIES = ("M", "MME", "MLE")
# The 9th column of the portal's rejected.csv: a header naming it so marks a file whose lines
# carry their reason there, left out when the file is imported again.
REASON_HEADER = re.compile(r"reason|motif|raison", re.IGNORECASE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# What a spreadsheet would take for a formula (OWASP's list): such cells go out behind a "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REASONS = {
    "too_many_columns": "The line has more than the 8 columns of the format.",
    "missing_columns": "The line has fewer than the 8 columns of the format.",
    "bad_email": "The e-mail address is missing or not valid.",
    "duplicate_in_file": "The e-mail address is on an earlier line of the file.",
    "user_exists": "A user account already exists with this e-mail address.",
    "unknown_civility": "The civility is not one of M, MME, MLE.",
    "unbalanced_quote": "A quote opens a cell that does not close on this line (or text follows the closing quote).",
    "bad_name": "The last or first name is missing, longer than 100 characters, or holds a control character.",
    "bad_phone": "A phone number is longer than 40 characters or holds a control character.",
    "unknown_language": "The language code is not one the portal speaks (en-US, fr-FR, ...).",
    "bad_level": "The security level is not 1, 2 or 3.",
}
_EMAIL = Email()
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Line:
    """One line of the file: its number, its cells, its values once read, or why it is refused."""

    number: int
    cells: list[str]
    values: dict = field(default_factory=dict)
    reason: str | None = None


def decode(raw: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252 (French Excel); 400 if
    it is not text at all."""
    if raw.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8", raw[len(codecs.BOM_UTF8):])]
    else:
        candidates = [("utf-8", raw), ("cp1252", raw)]
    for encoding, data in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text):
            return text
    raise PortalError(400, "not_csv", "The file is not CSV text: save it as CSV (UTF-8 or Windows-1252).",
                      {"file": ["not CSV text"]})


def read_lines(text: str, max_lines: int) -> list[Line]:
    """The file's non-blank lines, header left out, each with its line number; 400 if no line is
    separated by ";" or ",", 413 past ``max_lines``.

    A line is a record: no cell of the format may hold a line break, so a quote left open is
    that line's fault (``unbalanced_quote``), never a reason to read the next lines into it.
    """
    numbered = [(number, line) for number, line in enumerate(_LINE_BREAK.split(text), start=1) if line.strip()]
    if not numbered:
        raise PortalError(400, "empty_file", "The file holds no line.", {"file": ["empty"]})
    if len(numbered) > max_lines + 1:  # one more for a header
        raise _too_many(max_lines)
    first = numbered[0][1]
    delimiter = ";" if ";" in first else "," if "," in first else None
    if delimiter is None:
        raise PortalError(400, "csv_separator", "Separate the columns with ';' or ','.", {"file": ["no separator"]})
    lines = [line for number, physical in numbered if (line := _read_line(number, physical, delimiter))]
    if lines and lines[0].reason is None and _is_header(lines[0].cells):
        header = lines.pop(0)
        if len(header.cells) > len(COLUMNS) and REASON_HEADER.fullmatch(header.cells[len(COLUMNS)]):
            for line in lines:  # the portal's rejected.csv: its reason column is no data
                del line.cells[len(COLUMNS):len(COLUMNS) + 1]
    if len(lines) > max_lines:
        raise _too_many(max_lines)
    return lines


def _read_line(number: int, physical: str, delimiter: str) -> Line | None:
    try:
        [cells] = csv.reader([physical], delimiter=delimiter, strict=True)
    except csv.Error:
        return Line(number, [cell.strip() for cell in physical.split(delimiter)], reason="unbalanced_quote")
    if not any(cell.strip() for cell in cells):
        return None
    return Line(number, [_unescape(cell.strip()) for cell in cells])


def judge(lines: list[Line]) -> list[Line]:
    """Read each line's values, or name the first reason it is refused for (existing accounts
    are the caller's to check)."""
    seen: set[str] = set()
    for line in lines:
        if line.reason is not None:
            continue
        cells = list(line.cells)
        while len(cells) > len(COLUMNS) and not cells[-1]:
            cells.pop()  # Excel's trailing separators
        if len(cells) != len(COLUMNS):
            line.reason = "too_many_columns" if len(cells) > len(COLUMNS) else "missing_columns"
            continue
        values = dict(zip(COLUMNS, cells))
        values["email"] = values["email"].lower()
        line.reason = _refusal(values, seen)
        if values["email"]:
            seen.add(values["email"])
        if line.reason is None:
            values["title"] = values["title"].upper()
            values["language"] = portal_language(values["language"])
            values["security_level"] = int(values["security_level"])
            line.values = values
    return lines


def _refusal(values: dict, seen: set[str]) -> str | None:
    try:
        _EMAIL(values["email"])
        if len(values["email"]) > 254:
            raise ValidationError("too long")
    except ValidationError:
        return "bad_email"
    if values["email"] in seen:
        return "duplicate_in_file"
    if values["title"].upper() not in CIVILITIES:
        return "unknown_civility"
    if not values["last_name"] or len(values["last_name"]) > 100 or len(values["first_name"]) > 100 \
            or not is_single_line(values["last_name"] + values["first_name"]):
        return "bad_name"
    if len(values["office_phone"]) > 40 or len(values["mobile_phone"]) > 40 \
            or not is_single_line(values["office_phone"] + values["mobile_phone"]):
        return "bad_phone"
    if portal_language(values["language"]) is None:
        return "unknown_language"
    if values["security_level"] not in ("1", "2", "3"):
        return "bad_level"
    return None


def _is_header(cells: list[str]) -> bool:
    # "Email address", "Adresse e-mail", "Courriel": a first line whose address column names it.
    return len(cells) > 3 and "@" not in cells[3] and re.search("mail|courriel", cells[3], re.IGNORECASE) is not None


def _unescape(cell: str) -> str:
    # A cell exported by the portal ("'+33 1 ...") comes back as the user typed it.
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _too_many(max_lines: int) -> PortalError:
    return PortalError(413, "too_many_lines", f"The file has more than {max_lines:,} lines: split it.",
                       {"file": [f"more than {max_lines} lines"]})


def spreadsheet_safe(value) -> str:
    """``value`` as a CSV cell no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: tuple[str, ...], rows) -> str:
    """A CSV the way French Excel opens it (BOM, ";"), every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return "\ufeff" + out.getvalue()

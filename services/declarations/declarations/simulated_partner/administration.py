"""The simulated administration's verdict on a taken interchange, from the taxpayers fixture:
accepted, or rejected with 009 / 010 / 13A / 13B / 13C, or partly rejected where a record says so."""
from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

# The obligation a liasse fiscale (INFENT, BGM+IDF) answers, as the fixture's records name it.
LIASSE = "liasse"


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))["taxpayers"]


def taxpayers(path: Path) -> dict:
    """The fixture's records by SIREN (re-read when the file changes)."""
    return _load(str(path), path.stat().st_mtime)


def _valid(obligation: dict, at: date) -> bool:
    start, end = obligation.get("valid_from"), obligation.get("valid_to")
    return (start is None or date.fromisoformat(start) <= at) and (end is None or at <= date.fromisoformat(end))


def verdict(filing: dict, records: dict) -> dict:
    """``{"outcome", "codes", "detail"}`` for ``filing`` (the fields the syntax checks read)."""
    siren = filing["siren"]
    record = records.get(siren)
    if record is None:
        return _rejected("009", f"SIREN {siren} is not in the taxpayers' register")
    if record.get("tax_reference") != filing["tax_reference"]:
        return _rejected("010", f"the file's tax-obligation reference {filing['tax_reference']!r} differs "
                                f"from the record's {record.get('tax_reference')!r}")
    obligations = [item for item in record.get("obligations", []) if item.get("declaration") == LIASSE]
    if not obligations:
        return _rejected("13A", f"{record['name']} has no obligation to file a liasse")
    closing = date.fromisoformat(filing["period_end"])
    if not any(_valid(item, closing) for item in obligations):
        return _rejected("13B", f"no liasse obligation of {record['name']} is valid on the closing date {closing}")
    if record.get("regime") not in filing["regimes"]:
        return _rejected("13C", f"the file's regime ({', '.join(filing['regimes'])}) differs from the "
                                f"record's {record.get('regime')!r}")
    if record.get("outcome") == "partly_rejected":
        codes = record.get("codes", [])
        return {"outcome": "partly_rejected", "codes": codes,
                "detail": f"SIMULATION: part of the filing rejected ({', '.join(codes)})"}
    return {"outcome": "accepted", "codes": [], "detail": "SIMULATION: accepted by the simulated administration"}


def _rejected(code: str, why: str) -> dict:
    return {"outcome": "rejected", "codes": [code], "detail": f"SIMULATION: rejected ({code}): {why}"}

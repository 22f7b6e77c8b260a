"""Load the manual's services into the catalog: ``python -m catalog.seed`` (after ``portal-migrate catalog``).

Idempotent: a service whose code is already in the catalog is left as it is (operators may have
changed it since), so the command runs at every start of the mesh. Each new service is announced
with ServicePublished. Associates linked before the catalog made supervision services get theirs.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Iterable

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from portalkit.db import Database
from portalkit.settings import Settings

from . import supervision
from .events import service_published
from .families import FAMILIES, service_code
from .models import Service

CATALOG_CSV = Path(__file__).parent / "data" / "catalog.csv"
YES, NO = "yes", "no"


class CatalogFileError(ValueError):
    """A line of the catalog file cannot be loaded."""


def read_catalog(path: Path = CATALOG_CSV) -> list[dict]:
    """The services of a ``;``-separated catalog file, checked line by line."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [_service_fields(line, row) for line, row in
                enumerate(csv.DictReader(handle, delimiter=";"), start=2)]


def _service_fields(line: int, row: dict) -> dict:
    def flag(name: str) -> bool:
        value = (row.get(name) or "").strip().lower()
        if value not in (YES, NO):
            raise CatalogFileError(f"line {line}: {name} must be yes or no, not {value!r}")
        return value == YES

    family, title = (row.get("family") or "").strip(), (row.get("title") or "").strip()
    if family not in FAMILIES:
        raise CatalogFileError(f"line {line}: unknown family {family!r}")
    if not service_code(title):
        raise CatalogFileError(f"line {line}: a service needs a title")
    level = (row.get("min_security_level") or "").strip()
    if level not in ("1", "2", "3"):
        raise CatalogFileError(f"line {line}: min_security_level must be 1, 2 or 3, not {level!r}")
    return {
        "code": service_code(title), "family": family, "title_en": title,
        "title_fr": (row.get("title_fr") or "").strip(),
        "description_en": (row.get("description") or "").strip(),
        "description_fr": (row.get("description_fr") or "").strip(),
        "needs_validation": flag("needs_validation"), "auto_subscribe": flag("auto_subscribe"),
        "min_security_level": int(level), "needs_contract": flag("needs_contract"),
    }


def seed(session: Session, services: Iterable[dict]) -> list[Service]:
    """Add the services the catalog lacks (by code) and announce each; return the new ones."""
    known = set(session.scalars(select(Service.code)))
    added = []
    for fields in services:
        if fields["code"] in known:
            continue
        service = Service(**fields)
        session.add(service)
        session.flush()
        service_published(session, service)
        known.add(service.code)
        added.append(service)
    return added


def main() -> None:
    database = Database(Settings.load("catalog").database_url)
    if not inspect(database.engine).has_table(Service.__tablename__):
        sys.exit("catalog: the database is not migrated yet; run `portal-migrate catalog` first")
    try:
        services = read_catalog()
    except CatalogFileError as error:
        sys.exit(f"catalog: {CATALOG_CSV}: {error}")
    with database.transaction() as session:
        added = seed(session, services)
        supervised = supervision.add_missing(session)
    print(f"catalog: {len(added)} services added, {len(services) - len(added)} already there")
    if supervised:
        print(f"catalog: {len(supervised)} supervision services added for associates linked before")


if __name__ == "__main__":
    main()

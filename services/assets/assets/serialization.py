"""Issuing serialization codes: for each selected serializable holding of the caller's company under
contract, a code bound to (company, product, machine identifier, major version).

A holding without identifier takes the one given; one with another identifier is refused
(409 ``identifier_set``: the change goes through an identifier change request). Asked again for
the same machine, a holding answers its live code (not revoked, same major version): a new code is
issued only the first time, or after the product's major version moved on. Every selection is all
or nothing, and each issue is told (``SerializationCodesIssued``) for the company's trail.
"""
from __future__ import annotations

import json
import uuid

from sqlalchemy import String, any_, bindparam, insert, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.errors import PortalError, not_found

from . import clock, coverage, serialization_codes
from .events import outbox
from .models import Holding, Product, SerializationCode
from .signing_keys import KeyRing


def selected_holdings(session: Session, company_id: str, holding_ids: list[str]) -> list[tuple[Holding, Product, bool]]:
    """The company's holdings named (not removed) with their product and whether a contract covers
    each; 404 if one is unknown or another company's (the same answer: nothing is told of others)."""
    wanted = list(dict.fromkeys(holding_ids))
    rows = session.execute(
        select(Holding, Product, coverage.holding_on_contract().label("on_contract"))
        .join(Product, Product.id == Holding.product_id)
        .where(Holding.id.in_(wanted), Holding.company_id == company_id, Holding.removed_at.is_(None))).all()
    found = {holding.id: (holding, product, bool(on_contract)) for holding, product, on_contract in rows}
    if len(found) != len(wanted):
        raise not_found("holding")
    return [found[holding_id] for holding_id in wanted]


def refuse_unless_serializable(selection) -> None:
    not_serializable = [h.id for h, product, _ in selection if not product.serializable or product.retired_at]
    if not_serializable:
        raise PortalError(409, "not_serializable", "These holdings are of products without serialization.",
                          {"holding_ids": {hid: ["not serializable"] for hid in not_serializable}})
    off_contract = [h.id for h, _, on_contract in selection if not on_contract]
    if off_contract:
        raise PortalError(409, "not_on_contract", "No maintenance contract in force covers these holdings.",
                          {"holding_ids": {hid: ["not under contract"] for hid in off_contract}})


def issue(session: Session, ring: KeyRing, company_id: str, user_id: str, machine_id: str,
          holding_ids: list[str]) -> list[dict]:
    """Serialize the holdings for ``machine_id``: their codes, in the order asked; committed.

    Written in SQL statements rather than one ORM object per holding: a 500-holding selection
    is one query to read, one to set identifiers, one multi-row insert (benchmarks/serialization.py).
    """
    plan_each_time(session)
    selection = _selection(session, company_id, holding_ids)
    refuse_unless_serializable(selection)
    elsewhere = [row.id for row, _, _ in selection if row.machine_id not in (None, machine_id)]
    if elsewhere:
        raise PortalError(409, "identifier_set", "These holdings have another machine identifier: "
                          "ask for an identifier change.", {"holding_ids": {hid: ["identifier set"] for hid in elsewhere}})
    live = _live_codes(session, [row.id for row, _, _ in selection])
    answer, issued = [], []
    for holding, product, _ in selection:
        code = live.get((holding.id, machine_id, product.major_version))
        if code is None:
            code = code_row(ring, holding.id, company_id, product, machine_id, user_id)
            issued.append((holding, product, code))
        answer.append({"holding": holding, "product": product, "code": code})
    unset = [row.id for row, _, _ in selection if row.machine_id is None]
    if unset:
        session.execute(update(Holding).where(among(session, Holding.id, unset)).values(machine_id=machine_id))
    if issued:
        insert_codes(session, [code for _, _, code in issued])
        outbox.add(session, "SerializationCodesIssued", {
            "company_id": company_id, "user_id": user_id, "machine_id": machine_id,
            "codes": [{"code_id": code["id"], "holding_id": holding.id, "product": product.code,
                       "major_version": product.major_version, "key_id": code["key_id"]}
                      for holding, product, code in issued]})
    session.commit()
    return answer


def among(session: Session, column, ids: list[str]):
    """``column IN ids``; on PostgreSQL ``column = ANY(<one array>)``: 500 ids are one parameter,
    not 500, which psycopg would parse into the statement anew each time (a third of the call)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(String())))
    return column.in_(ids)


def plan_each_time(session: Session) -> None:
    """On PostgreSQL, plan this transaction's statements for their own values (``plan_cache_mode``).

    psycopg prepares a statement on its sixth execution; PostgreSQL then tries a generic plan, in
    which ``= ANY($1)`` is a parameter, not a constant array: no longer hashed, it is tested
    element by element against every holding of the company (70 ms instead of 1.5 for a
    500-holding selection, EXPLAIN ANALYZE over 8 runs). Planning anew costs 0.5 ms.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


# The columns of a code row (``code_row``) and their PostgreSQL types, for ``insert_codes``.
_CODE_COLUMNS = (("id", "varchar"), ("holding_id", "varchar"), ("company_id", "varchar"), ("product_id", "varchar"),
                 ("machine_id", "varchar"), ("major_version", "integer"), ("key_id", "varchar"), ("code", "text"),
                 ("issued_on", "date"), ("issued_at", "timestamptz"), ("issued_by", "varchar"))
_INSERT_CODES = text(
    "INSERT INTO serialization_codes ({names}) SELECT {names} FROM json_to_recordset(CAST(:rows AS json)) AS code({types})"
    .format(names=", ".join(name for name, _ in _CODE_COLUMNS),
            types=", ".join(f"{name} {kind}" for name, kind in _CODE_COLUMNS)))


def insert_codes(session: Session, rows: list[dict]) -> None:
    """Insert the code rows in one statement; on PostgreSQL as one JSON text (``json_to_recordset``):
    one parameter, encoded in C, not 11 arrays quoted element by element by psycopg."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_INSERT_CODES, {"rows": json.dumps(rows, default=_iso, separators=(",", ":"))})
    else:
        session.execute(insert(SerializationCode), rows)


def _iso(value) -> str:
    """A code row's date and time as JSON: ISO 8601, which PostgreSQL reads back exactly (offset included)."""
    return value.isoformat()


def _selection(session: Session, company_id: str, holding_ids: list[str]) -> list:
    """``selected_holdings`` as plain rows: (holding, product, on_contract), each with attributes."""
    wanted = list(dict.fromkeys(holding_ids))
    rows = session.execute(
        select(Holding.id, Holding.machine_id, Product.id.label("product_id"), Product.code, Product.name_en,
               Product.name_fr, Product.major_version, Product.serializable, Product.retired_at,
               coverage.holding_on_contract().label("on_contract"))
        .join(Product, Product.id == Holding.product_id)
        .where(among(session, Holding.id, wanted), Holding.company_id == company_id,
               Holding.removed_at.is_(None))).all()
    found = {row.id: (row, _ProductView(row), bool(row.on_contract)) for row in rows}
    if len(found) != len(wanted):
        raise not_found("holding")
    return [found[holding_id] for holding_id in wanted]


class _ProductView:
    """A selection row's product columns under the names a ``Product`` has."""

    __slots__ = ("id", "code", "name_en", "name_fr", "major_version", "serializable", "retired_at")

    def __init__(self, row):
        self.id, self.code, self.name_en, self.name_fr = row.product_id, row.code, row.name_en, row.name_fr
        self.major_version, self.serializable, self.retired_at = row.major_version, row.serializable, row.retired_at


def _live_codes(session: Session, holding_ids: list[str]) -> dict:
    rows = session.execute(select(
        SerializationCode.id, SerializationCode.holding_id, SerializationCode.machine_id,
        SerializationCode.major_version, SerializationCode.code, SerializationCode.key_id, SerializationCode.issued_on)
        .where(among(session, SerializationCode.holding_id, holding_ids), SerializationCode.revoked_at.is_(None))
        .order_by(SerializationCode.issued_at)).mappings().all()
    return {(row["holding_id"], row["machine_id"], row["major_version"]): dict(row) for row in rows}


def code_row(ring: KeyRing, holding_id: str, company_id: str, product, machine_id: str, user_id: str | None) -> dict:
    """The columns of a new code, signed with the ring's current key."""
    key, day, code_id = ring.current, clock.today(), uuid.uuid4().hex
    return {"id": code_id, "holding_id": holding_id, "company_id": company_id, "product_id": product.id,
            "machine_id": machine_id, "major_version": product.major_version, "key_id": key.key_id,
            "issued_on": day, "issued_at": utcnow(), "issued_by": user_id,
            "code": serialization_codes.sign(key, serialization_codes.payload_of(
                code_id, company_id, product.code, machine_id, product.major_version, day, key.key_id))}


def new_code(ring: KeyRing, holding: Holding, product: Product, machine_id: str, user_id: str | None
             ) -> SerializationCode:
    return SerializationCode(**code_row(ring, holding.id, holding.company_id, product, machine_id, user_id))


def issued_event(company_id: str, user_id: str | None, machine_id: str, issued, **extra) -> dict:
    return {"company_id": company_id, "user_id": user_id, "machine_id": machine_id, **extra,
            "codes": [{"code_id": code.id, "holding_id": holding.id, "product": product.code,
                       "major_version": product.major_version, "key_id": code.key_id}
                      for holding, product, code in issued]}

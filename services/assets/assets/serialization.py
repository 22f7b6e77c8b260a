"""Issuing serialization codes: for each selected serializable holding of the caller's company under
contract, a code bound to (company, product, machine identifier, major version).

A holding without identifier takes the one given; one with another identifier is refused
(409 ``identifier_set``: the change goes through an identifier change request). Asked again for
the same machine, a holding answers its live code (not revoked, same major version): a new code is
issued only the first time, or after the product's major version moved on. Every selection is all
or nothing, and each issue is told (``SerializationCodesIssued``) for the company's trail.
"""
from __future__ import annotations

import uuid

from sqlalchemy import select
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
          holding_ids: list[str]) -> list[tuple[Holding, Product, SerializationCode]]:
    """Serialize the holdings for ``machine_id``: their codes, in the order asked; committed."""
    selection = selected_holdings(session, company_id, holding_ids)
    refuse_unless_serializable(selection)
    elsewhere = [h.id for h, _, _ in selection if h.machine_id not in (None, machine_id)]
    if elsewhere:
        raise PortalError(409, "identifier_set", "These holdings have another machine identifier: "
                          "ask for an identifier change.", {"holding_ids": {hid: ["identifier set"] for hid in elsewhere}})
    live = _live_codes(session, [h.id for h, _, _ in selection])
    answer, issued = [], []
    for holding, product, _ in selection:
        holding.machine_id = machine_id
        code = live.get((holding.id, machine_id, product.major_version))
        if code is None:
            code = new_code(ring, holding, product, machine_id, user_id)
            session.add(code)
            issued.append((holding, product, code))
        answer.append((holding, product, code))
    if issued:
        session.flush()
        outbox.add(session, "SerializationCodesIssued", issued_event(company_id, user_id, machine_id, issued))
    session.commit()
    return answer


def _live_codes(session: Session, holding_ids: list[str]) -> dict:
    codes = session.scalars(select(SerializationCode).where(
        SerializationCode.holding_id.in_(holding_ids), SerializationCode.revoked_at.is_(None))
        .order_by(SerializationCode.issued_at)).all()
    return {(code.holding_id, code.machine_id, code.major_version): code for code in codes}


def new_code(ring: KeyRing, holding: Holding, product: Product, machine_id: str, user_id: str | None
             ) -> SerializationCode:
    key, day = ring.current, clock.today()
    code = SerializationCode(id=uuid.uuid4().hex, holding_id=holding.id, company_id=holding.company_id, product_id=product.id,
                             machine_id=machine_id, major_version=product.major_version, key_id=key.key_id,
                             issued_on=day, issued_at=utcnow(), issued_by=user_id)
    code.code = serialization_codes.sign(key, serialization_codes.payload_of(
        code.id, holding.company_id, product.code, machine_id, product.major_version, day, key.key_id))
    return code


def issued_event(company_id: str, user_id: str | None, machine_id: str, issued, **extra) -> dict:
    return {"company_id": company_id, "user_id": user_id, "machine_id": machine_id, **extra,
            "codes": [{"code_id": code.id, "holding_id": holding.id, "product": product.code,
                       "major_version": product.major_version, "key_id": code.key_id}
                      for holding, product, code in issued]}

"""Identifier changes: a holding's machine identifier is never changed in place once set. A user
asks (``IdentifierChangeRequested``, 202), an operator approves — the holdings' live codes are
revoked, the identifier moves, new codes are issued (``SerializationChanged`` per holding,
``SerializationCodesIssued`` for the trail) — or refuses; either way ``IdentifierChangeDecided``
tells the requester (in their language) and the company's trail.
"""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.errors import PortalError, not_found

from .events import outbox
from .models import Company, Holding, IdentifierChange, IdentifierChangeHolding, Member, Product, SerializationCode
from .serialization import issued_event, new_code, refuse_unless_serializable, selected_holdings
from .signing_keys import KeyRing

def request(session: Session, company_id: str, user_id: str, language: str, data: dict) -> IdentifierChange:
    """File a change for holdings of the caller's company (each serializable, under contract, and
    with an identifier other than the new one); committed."""
    selection = selected_holdings(session, company_id, data["holding_ids"])
    refuse_unless_serializable(selection)
    same = [h.id for h, _, _ in selection if h.machine_id == data["new_machine_id"]]
    if same:
        raise PortalError(409, "identifier_unchanged", "These holdings have this identifier already.",
                          {"holding_ids": {hid: ["same identifier"] for hid in same}})
    pending = session.scalars(select(IdentifierChangeHolding.holding_id).join(IdentifierChange).where(
        IdentifierChange.status == "pending",
        IdentifierChangeHolding.holding_id.in_([h.id for h, _, _ in selection]))).all()
    if pending:
        raise PortalError(409, "change_pending", "A change of these holdings' identifier awaits a decision.",
                          {"holding_ids": {hid: ["change pending"] for hid in pending}})
    change = IdentifierChange(company_id=company_id, requested_by=user_id, requester_language=language,
                              new_machine_id=data["new_machine_id"], reason=data.get("reason") or "")
    session.add(change)
    session.flush()
    for holding, _, _ in selection:
        session.add(IdentifierChangeHolding(change_id=change.id, holding_id=holding.id,
                                            previous_machine_id=holding.machine_id))
    member, company = session.get(Member, user_id), session.get(Company, company_id)
    outbox.add(session, "IdentifierChangeRequested", {
        "change_id": change.id, "company_id": company_id, "company_name": company.name if company else "",
        "user_id": user_id, "first_name": member.first_name if member else "",
        "last_name": member.last_name if member else "", "email": member.email if member else None,
        "new_machine_id": change.new_machine_id, "reason": change.reason,
        "holdings": [{"holding_id": h.id, "product": p.code, "previous_machine_id": h.machine_id}
                     for h, p, _ in selection]})
    session.commit()
    return change

def find(session: Session, change_id: str, company_id: str | None = None) -> IdentifierChange:
    change = session.get(IdentifierChange, change_id)
    if change is None or (company_id is not None and change.company_id != company_id):
        raise not_found("identifier change")
    return change

def holdings_of(session: Session, change_ids: list[str]) -> dict[str, list[dict]]:
    """Each change's holdings: id, the identifier they had, their product's code and names."""
    out: dict[str, list] = {change_id: [] for change_id in change_ids}
    rows = session.execute(
        select(IdentifierChangeHolding.change_id, IdentifierChangeHolding.holding_id,
               IdentifierChangeHolding.previous_machine_id, Product.code, Product.name_en, Product.name_fr)
        .join(Holding, Holding.id == IdentifierChangeHolding.holding_id).join(Product, Product.id == Holding.product_id)
        .where(IdentifierChangeHolding.change_id.in_(change_ids)).order_by(IdentifierChangeHolding.holding_id))
    for row in rows:
        out[row.change_id].append({"holding_id": row.holding_id, "previous_machine_id": row.previous_machine_id,
                                   "product": {"code": row.code, "name_en": row.name_en, "name_fr": row.name_fr}})
    return out


def companies_of(session: Session, company_ids: set[str]) -> dict[str, Company]:
    return {company.id: company for company in session.scalars(select(Company).where(Company.id.in_(company_ids)))}


def list_changes(session: Session, query: dict, company_id: str | None = None) -> tuple[list[IdentifierChange], int]:
    conditions = []
    if query.get("status"):
        conditions.append(IdentifierChange.status == query["status"])
    if company_id or query.get("company_id"):
        conditions.append(IdentifierChange.company_id == (company_id or query["company_id"]))
    total = session.scalar(select(func.count()).select_from(IdentifierChange).where(*conditions))
    changes = session.scalars(select(IdentifierChange).where(*conditions)
                              .order_by(IdentifierChange.requested_at.desc(), IdentifierChange.id)
                              .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"])).all()
    return list(changes), total

def approve(session: Session, ring: KeyRing, change_id: str, operator_id: str, reason: str | None) -> IdentifierChange:
    """Revoke the holdings' live codes, move them to the new identifier and issue their codes."""
    change = _pending(session, change_id)
    rows = holdings_of(session, [change.id])[change.id]
    selection = selected_holdings(session, change.company_id, [row["holding_id"] for row in rows])
    now = utcnow()
    issued = []
    for holding, product, _ in selection:
        revoked = session.scalars(select(SerializationCode.id).where(
            SerializationCode.holding_id == holding.id, SerializationCode.revoked_at.is_(None))).all()
        if revoked:
            session.execute(update(SerializationCode).where(SerializationCode.id.in_(revoked)).values(revoked_at=now))
        previous, holding.machine_id = holding.machine_id, change.new_machine_id
        code = new_code(ring, holding, product, change.new_machine_id, change.requested_by)
        session.add(code)
        issued.append((holding, product, code))
        outbox.add(session, "SerializationChanged", {
            "company_id": change.company_id, "identifier": change.new_machine_id, "product": product.code,
            "holding_id": holding.id, "previous_identifier": previous, "revoked_code_ids": list(revoked),
            "issued_code_ids": [code.id], "change_id": change.id})
    session.flush()
    outbox.add(session, "SerializationCodesIssued", issued_event(
        change.company_id, change.requested_by, change.new_machine_id, issued, change_id=change.id,
        operator_id=operator_id))
    return _decide(session, change, "approved", operator_id, reason)

def refuse(session: Session, change_id: str, operator_id: str, reason: str | None) -> IdentifierChange:
    return _decide(session, _pending(session, change_id), "refused", operator_id, reason)

def _pending(session: Session, change_id: str) -> IdentifierChange:
    change = find(session, change_id)
    if change.status != "pending":
        raise PortalError(409, "change_decided", f"This identifier change was {change.status} already.")
    return change

def _decide(session: Session, change: IdentifierChange, decision: str, operator_id: str,
            reason: str | None) -> IdentifierChange:
    change.status, change.decided_at, change.decided_by = decision, utcnow(), operator_id
    change.decision_reason = reason or None
    member = session.get(Member, change.requested_by)
    requester = member.recipient() if member else {"user_id": change.requested_by, "email": None}
    outbox.add(session, "IdentifierChangeDecided", {
        **requester, "language": member.language if member else change.requester_language,
        "change_id": change.id, "company_id": change.company_id, "decision": decision,
        "new_machine_id": change.new_machine_id, "reason": change.decision_reason, "operator_id": operator_id})
    session.commit()
    return change

def revocations(session: Session, query: dict) -> tuple[list[SerializationCode], int]:
    """Every revoked code, oldest revocation first (a client fetches the pages it has not seen)."""
    condition = SerializationCode.revoked_at.is_not(None)
    if query.get("since"):
        condition = condition & (SerializationCode.revoked_at >= query["since"])
    total = session.scalar(select(func.count()).select_from(SerializationCode).where(condition))
    codes = session.scalars(select(SerializationCode).where(condition)
                            .order_by(SerializationCode.revoked_at, SerializationCode.id)
                            .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"])).all()
    return list(codes), total

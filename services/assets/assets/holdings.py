"""Companies' holdings of the vendor's products, as operators record them: how many, and the
machine they are installed on when known. Each recording or change is told with
``HoldingRecorded`` (the holding as it now stands), each removal with ``HoldingRemoved``; both name
the operator, for the company's trail (identity).

A removed holding is kept (``removed_at``): the codes once issued for it stay explained. A holding
with a live serialization code keeps its machine identifier: changing it goes through an
identifier change request, which revokes the old codes.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.errors import PortalError, not_found

from .events import outbox
from .models import Company, Holding, Product, SerializationCode


def find(session: Session, holding_id: str) -> Holding:
    holding = session.get(Holding, holding_id) if len(holding_id) <= 32 else None
    if holding is None:
        raise not_found("holding")
    return holding


def view(session: Session, holding: Holding, product: Product | None = None) -> dict:
    """The holding as the operators' routes answer it, with its product's names."""
    product = product or session.get(Product, holding.product_id)
    return {"id": holding.id, "company_id": holding.company_id, "product_id": holding.product_id,
            "product": product, "quantity": holding.quantity, "machine_id": holding.machine_id,
            "created_at": holding.created_at, "removed_at": holding.removed_at}


def list_holdings(session: Session, query: dict) -> tuple[list[dict], int]:
    """Holdings, oldest first, of one company or product when named; removed ones when asked."""
    conditions = []
    if not query.get("removed"):
        conditions.append(Holding.removed_at.is_(None))
    if query.get("company_id"):
        conditions.append(Holding.company_id == query["company_id"])
    if query.get("product_id"):
        conditions.append(Holding.product_id == query["product_id"])
    total = session.scalar(select(func.count()).select_from(Holding).where(*conditions))
    page, per_page = query["page"], query["per_page"]
    rows = session.execute(select(Holding, Product).join(Product, Product.id == Holding.product_id)
                           .where(*conditions).order_by(Holding.created_at, Holding.id)
                           .offset((page - 1) * per_page).limit(per_page)).all()
    return [view(session, holding, product) for holding, product in rows], total


def record(session: Session, data: dict, operator_id: str | None = None) -> dict:
    if session.get(Company, data["company_id"]) is None:
        raise _invalid("company_id", "No such company.")
    product = session.get(Product, data["product_id"])
    if product is None:
        raise _invalid("product_id", "No such product.")
    if product.retired_at is not None:
        raise _invalid("product_id", "This product is retired: it takes no new holding.")
    holding = Holding(company_id=data["company_id"], product_id=product.id, quantity=data["quantity"],
                      machine_id=data.get("machine_id"))
    session.add(holding)
    session.flush()
    _told(session, holding, product, operator_id, created=True)
    session.commit()
    return view(session, holding, product)


def edit(session: Session, holding_id: str, data: dict, operator_id: str | None = None) -> dict:
    holding = _live(session, holding_id)
    if "machine_id" in data and data["machine_id"] != holding.machine_id and _serialized(session, holding):
        raise PortalError(409, "identifier_set", "This holding has a serialization code for its machine: "
                          "its identifier changes through an identifier change request.",
                          {"machine_id": ["Bound to a live serialization code."]})
    changed = False
    for name in ("quantity", "machine_id"):
        if name in data and getattr(holding, name) != data[name]:
            setattr(holding, name, data[name])
            changed = True
    product = session.get(Product, holding.product_id)
    if changed:
        session.flush()
        _told(session, holding, product, operator_id, created=False)
    session.commit()
    return view(session, holding, product)


def remove(session: Session, holding_id: str, operator_id: str | None = None) -> None:
    holding = _live(session, holding_id)
    holding.removed_at = utcnow()
    product = session.get(Product, holding.product_id)
    outbox.add(session, "HoldingRemoved", {"holding_id": holding.id, "company_id": holding.company_id,
                                           "product_id": holding.product_id, "product_code": product.code,
                                           "operator_id": operator_id})
    session.commit()


def _live(session: Session, holding_id: str) -> Holding:
    holding = find(session, holding_id)
    if holding.removed_at is not None:
        raise PortalError(409, "holding_removed", "This holding has been removed.")
    return holding


def _serialized(session: Session, holding: Holding) -> bool:
    return session.scalar(select(SerializationCode.id).where(
        SerializationCode.holding_id == holding.id, SerializationCode.revoked_at.is_(None)).limit(1)) is not None


def _told(session: Session, holding: Holding, product: Product, operator_id: str | None, created: bool) -> None:
    outbox.add(session, "HoldingRecorded", {
        "holding_id": holding.id, "company_id": holding.company_id, "product_id": product.id,
        "product_code": product.code, "quantity": holding.quantity, "machine_id": holding.machine_id,
        "operator_id": operator_id, "created": created})


def _invalid(field: str, message: str) -> PortalError:
    return PortalError(400, "invalid_input", "Some fields are invalid.", {field: [message]})

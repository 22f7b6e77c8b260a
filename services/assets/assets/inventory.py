"""A company's IT assets as its users see them ("Your IT assets"): its holdings not removed, each
with its product in the caller's language, whether a contract in force covers it
(``coverage.holding_on_contract``) and its live serialization code.

A page is three indexed queries whatever the company's size: the count, the page (ordered by
product name, then holding), and the live codes of that page's holdings.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .coverage import holding_on_contract
from .models import Company, Holding, Product, SerializationCode


def list_inventory(session: Session, companies: set[str], query: dict, language: str) -> tuple[list[dict], int]:
    """The holdings of ``companies`` matching ``query`` (kind, contract on/off, machine_id), one page."""
    conditions = [Holding.removed_at.is_(None),
                  Holding.company_id == next(iter(companies)) if len(companies) == 1
                  else Holding.company_id.in_(sorted(companies))]
    if query.get("kind"):
        conditions.append(Product.kind == query["kind"])
    if query.get("contract") == "on":
        conditions.append(holding_on_contract())
    elif query.get("contract") == "off":
        conditions.append(~holding_on_contract())
    if query.get("machine_id") is not None:
        conditions.append(Holding.machine_id == query["machine_id"])
    joined = select(Holding).join(Product, Product.id == Holding.product_id)
    total = session.scalar(select(func.count()).select_from(joined.where(*conditions).subquery()))
    name = Product.name_fr if language == "fr" else Product.name_en
    page, per_page = query["page"], query["per_page"]
    rows = session.execute(
        select(Holding, Product, holding_on_contract().label("on_contract"), Company.name)
        .join(Product, Product.id == Holding.product_id)
        .outerjoin(Company, Company.id == Holding.company_id)
        .where(*conditions).order_by(name, Holding.id)
        .offset((page - 1) * per_page).limit(per_page)).all()
    codes = _live_codes(session, [holding.id for holding, product, _, _ in rows if product.serializable])
    return [_item(holding, product, bool(on_contract), company_name, codes.get(holding.id), language)
            for holding, product, on_contract, company_name in rows], total


def _live_codes(session: Session, holding_ids: list[str]) -> dict[str, SerializationCode]:
    """The live (not revoked) code of each holding; the newest if ever more than one."""
    if not holding_ids:
        return {}
    codes = session.scalars(select(SerializationCode).where(
        SerializationCode.holding_id.in_(holding_ids), SerializationCode.revoked_at.is_(None))
        .order_by(SerializationCode.issued_at))
    return {code.holding_id: code for code in codes}


def _item(holding: Holding, product: Product, on_contract: bool, company_name: str | None,
          code: SerializationCode | None, language: str) -> dict:
    return {
        "id": holding.id,
        "company": {"id": holding.company_id, "name": company_name or ""},
        "product": {"id": product.id, "code": product.code,
                    "name": product.name_fr if language == "fr" else product.name_en,
                    "kind": product.kind, "brand": product.brand, "domain": product.domain,
                    "major_version": product.major_version},
        "quantity": holding.quantity,
        "machine_id": holding.machine_id,
        "on_contract": on_contract,
        "serializable": product.serializable,
        "serialization": {"code": code.code, "issued_on": code.issued_on} if code is not None else None,
    }

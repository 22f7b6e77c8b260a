"""The vendor's products, as operators record them: each recording, change or retirement is told
with ``ProductRecorded`` (the product as it now stands), so that knowledge and support can name a
company's products. A product's ``code`` is fixed at creation; a retired one takes no new holding,
the holdings already recorded stay."""
from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.errors import PortalError, not_found

from .events import outbox
from .models import Product

EDITABLE = ("name_en", "name_fr", "kind", "brand", "domain", "serializable", "major_version")
SEARCHED = ("code", "name_en", "name_fr", "brand", "domain")


def find(session: Session, product_id: str) -> Product:
    product = session.get(Product, product_id) if len(product_id) <= 32 else None
    if product is None:
        raise not_found("product")
    return product


def list_products(session: Session, query: dict) -> tuple[list[Product], int]:
    """Products by code; retired ones only when asked."""
    conditions = []
    if not query.get("retired"):
        conditions.append(Product.retired_at.is_(None))
    if query.get("kind"):
        conditions.append(Product.kind == query["kind"])
    for word in (query.get("q") or "").lower().split():
        conditions.append(or_(*(func.lower(getattr(Product, column)).contains(word, autoescape=True)
                                for column in SEARCHED)))
    total = session.scalar(select(func.count()).select_from(Product).where(*conditions))
    page, per_page = query["page"], query["per_page"]
    products = session.scalars(select(Product).where(*conditions).order_by(Product.code)
                               .offset((page - 1) * per_page).limit(per_page)).all()
    return list(products), total


def record(session: Session, data: dict) -> Product:
    if session.scalar(select(Product.id).where(Product.code == data["code"])) is not None:
        raise _taken(data["code"])
    product = Product(code=data["code"], **{name: data[name] for name in EDITABLE})
    session.add(product)
    try:
        session.flush()
    except IntegrityError:  # the same code recorded at the same moment by another operator
        session.rollback()
        raise _taken(data["code"]) from None
    _told(session, product)
    session.commit()
    return product


def edit(session: Session, product_id: str, data: dict) -> Product:
    product = find(session, product_id)
    if product.retired_at is not None:
        raise PortalError(409, "product_retired", "A retired product cannot be changed.")
    changed = False
    for name in EDITABLE:
        if name in data and getattr(product, name) != data[name]:
            setattr(product, name, data[name])
            changed = True
    if changed:
        session.flush()
        _told(session, product)
    session.commit()
    return product


def retire(session: Session, product_id: str) -> Product:
    product = find(session, product_id)
    if product.retired_at is not None:
        raise PortalError(409, "product_retired", "This product is retired already.")
    product.retired_at = utcnow()
    session.flush()
    _told(session, product)
    session.commit()
    return product


def _taken(code: str) -> PortalError:
    return PortalError(409, "product_exists", f"A product with the code {code!r} exists already.",
                       {"code": ["Taken by another product."]})


def _told(session: Session, product: Product) -> None:
    outbox.add(session, "ProductRecorded", {
        "product_id": product.id, "code": product.code, "name_en": product.name_en, "name_fr": product.name_fr,
        "kind": product.kind, "brand": product.brand, "domain": product.domain,
        "serializable": product.serializable, "major_version": product.major_version,
        "retired": product.retired_at is not None})

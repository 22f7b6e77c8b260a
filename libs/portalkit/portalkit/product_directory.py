"""A service's copy of assets' products and of what each company holds: the columns (mixins, each
service its own tables and migrations) and the handlers of assets' events that keep them, for the
service's ``HANDLERS`` — as ``directory`` does for identity's companies.

A service declares ``class Product(ProductMixin, Base)`` and ``class Holding(HoldingMixin, Base)``,
then ``PRODUCTS = ProductDirectory(Product, Holding)`` and ``HANDLERS = {**PRODUCTS.handlers(), ...}``;
``company_products(session, company_id)`` answers the products a company holds (knowledge targets
news and articles by them, support offers them on a request).

Every handler is safe to run twice and against events arriving out of order: a product or holding
keeps the fields of the newest event applied (``updated_by_event_at``), and a removed holding does
not come back with a late ``HoldingRecorded``.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import UTCDateTime
from .directory import _older
from .events import Event

PRODUCT_FIELDS = ("code", "name_en", "name_fr", "kind", "brand", "domain", "serializable", "major_version",
                  "retired")


class ProductMixin:
    """A product of the vendor's, as assets last told it (``retired`` ones are offered no more)."""

    __tablename__ = "products"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    name_fr: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16), default="software")
    brand: Mapped[str] = mapped_column(String(100), default="")
    domain: Mapped[str] = mapped_column(String(100), default="")
    serializable: Mapped[bool] = mapped_column(Boolean(), default=False)
    major_version: Mapped[int | None] = mapped_column(Integer(), nullable=True)
    retired: Mapped[bool] = mapped_column(Boolean(), default=False)
    updated_by_event_at = mapped_column(UTCDateTime(), nullable=True)

    def name(self, language: str) -> str:
        return (self.name_fr if language == "fr" else self.name_en) or self.name_en or self.code


class HoldingMixin:
    """A company's holding of a product; ``removed`` once assets told so (never revived)."""

    __tablename__ = "holdings"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    company_id: Mapped[str] = mapped_column(String(64), index=True)
    product_id: Mapped[str] = mapped_column(String(64), index=True)
    quantity: Mapped[int] = mapped_column(Integer(), default=1)
    removed: Mapped[bool] = mapped_column(Boolean(), default=False)
    updated_by_event_at = mapped_column(UTCDateTime(), nullable=True)


class ProductDirectory:
    """The handlers that keep a service's ``products`` and ``holdings`` tables from assets' events."""

    EVENTS = {"ProductRecorded": "on_product_recorded", "HoldingRecorded": "on_holding_recorded",
              "HoldingRemoved": "on_holding_removed"}

    def __init__(self, product: type, holding: type):
        self.product, self.holding = product, holding

    def handlers(self) -> dict:
        return {f"assets.{name}": getattr(self, method) for name, method in self.EVENTS.items()}

    def on_product_recorded(self, session: Session, event: Event):
        """Record the product, or refresh it unless a newer fact was applied."""
        data = event.data
        product = session.get(self.product, data["product_id"])
        if product is None:
            product = self.product(id=data["product_id"])
            session.add(product)
        elif _older(event.occurred_at, product.updated_by_event_at):
            return product
        for name in PRODUCT_FIELDS:
            if name in data:
                setattr(product, name, data[name])
        product.updated_by_event_at = event.occurred_at
        session.flush()
        return product

    def on_holding_recorded(self, session: Session, event: Event):
        data = event.data
        holding = session.get(self.holding, data["holding_id"])
        if holding is None:
            holding = self.holding(id=data["holding_id"], removed=False)
            session.add(holding)
        elif holding.removed or _older(event.occurred_at, holding.updated_by_event_at):
            return holding
        holding.company_id, holding.product_id = data["company_id"], data["product_id"]
        holding.quantity = data["quantity"]
        holding.updated_by_event_at = event.occurred_at
        session.flush()
        return holding

    def on_holding_removed(self, session: Session, event: Event):
        """Mark the holding removed (recorded as such when its HoldingRecorded has not come yet)."""
        data = event.data
        holding = session.get(self.holding, data["holding_id"])
        if holding is None:
            holding = self.holding(id=data["holding_id"], company_id=data["company_id"],
                                   product_id=data["product_id"], quantity=0)
            session.add(holding)
        holding.removed = True
        holding.updated_by_event_at = event.occurred_at
        session.flush()
        return holding

    def company_products(self, session: Session, company_id: str) -> list:
        """The products ``company_id`` holds (a holding not removed), not retired, by code."""
        return list(session.scalars(
            select(self.product).where(self.product.id.in_(
                select(self.holding.product_id).where(self.holding.company_id == company_id,
                                                      self.holding.removed.is_(False))),
                self.product.retired.is_(False)).order_by(self.product.code)))

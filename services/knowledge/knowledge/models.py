"""knowledge's tables: the companies read-model fed by identity, assets' products and holdings,
the news items with their targets and each user's last visit of the news, and the bus's two tables."""
from __future__ import annotations

import uuid

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from portalkit.consumer import HandledEventMixin
from portalkit.db import UTCDateTime, utcnow
from portalkit.directory import CompanyMixin
from portalkit.outbox import OutboxMixin
from portalkit.product_directory import HoldingMixin, ProductMixin

# Named constraints, so that later batch migrations on SQLite can find them again.
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class OutboxMessage(OutboxMixin, Base):
    pass


class HandledEvent(HandledEventMixin, Base):
    pass


class Company(CompanyMixin, Base):
    """identity's client company, as knowledge needs it (portalkit.directory)."""


class Product(ProductMixin, Base):
    """A product of the vendor's, as assets tells it (portalkit.product_directory)."""


class Holding(HoldingMixin, Base):
    """What a company holds, as assets tells it: news and articles are targeted by the company's products."""


# --- news (news.py) -------------------------------------------------------------------------
NEWS_KINDS = ("general", "product", "event", "legal", "partner", "help")


class NewsItem(Base):
    """A news item as operators publish it: general, product, event, legal, partner or portal-help
    information, in English and/or French. Generic when it names no target (``targeted`` false):
    everyone reads it; else the users of companies holding one of its products and the users holding
    "Functional preference: <domain>" for one of its domains read it. Retired ones reach nobody."""

    __tablename__ = "news_items"
    __table_args__ = (CheckConstraint("kind IN ('general', 'product', 'event', 'legal', 'partner', 'help')",
                                      name="kind"),
                      Index("ix_news_items_published", "published_at", "id"),
                      # Covers the counts of a reader's list (generic items, by kind, since a visit)
                      # without reading the rows and their bodies.
                      Index("ix_news_items_reach", "retired_at", "targeted", "kind", "published_at", "id"),
                      # Covers the count of the targeted items reaching a reader, looked up by id.
                      Index("ix_news_items_id_reach", "id", "retired_at", "targeted", "kind", "published_at"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    kind: Mapped[str] = mapped_column(String(16))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    body_en: Mapped[str] = mapped_column(Text(), default="")
    title_fr: Mapped[str] = mapped_column(String(200), default="")
    body_fr: Mapped[str] = mapped_column(Text(), default="")
    # The start of each body as plain text, made once at publication (lists show it, never re-render).
    excerpt_en: Mapped[str] = mapped_column(String(300), default="")
    excerpt_fr: Mapped[str] = mapped_column(String(300), default="")
    targeted: Mapped[bool] = mapped_column(Boolean(), default=False)
    published_at = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(64), default="")
    retired_at = mapped_column(UTCDateTime(), nullable=True)
    retired_by: Mapped[str | None] = mapped_column(String(64), nullable=True)

    products: Mapped[list["NewsProduct"]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                         order_by="NewsProduct.product_code")
    domains: Mapped[list["NewsDomain"]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                       order_by="NewsDomain.domain")


class NewsProduct(Base):
    """A product a news item is targeted at, by its code (the product directory's ``code``)."""

    __tablename__ = "news_products"
    # A reader's products to the items naming them, from the index alone.
    __table_args__ = (Index("ix_news_products_code_news", "product_code", "news_id"),)

    news_id: Mapped[str] = mapped_column(String(32), ForeignKey("news_items.id"), primary_key=True)
    product_code: Mapped[str] = mapped_column(String(64), primary_key=True)


class NewsDomain(Base):
    """A functional domain a news item is targeted at, and the entitlement that reads it
    (``entitlements.functional_preference(domain)``)."""

    __tablename__ = "news_domains"
    __table_args__ = (Index("ix_news_domains_preference_news", "preference", "news_id"),)

    news_id: Mapped[str] = mapped_column(String(32), ForeignKey("news_items.id"), primary_key=True)
    preference: Mapped[str] = mapped_column(String(120), primary_key=True)
    domain: Mapped[str] = mapped_column(String(100))


class NewsVisit(Base):
    """A user's last visit of the news page: what was published after it is "new" for them."""

    __tablename__ = "news_visits"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    visited_at = mapped_column(UTCDateTime(), nullable=False)

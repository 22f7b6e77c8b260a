"""knowledge's tables: the companies read-model fed by identity, assets' products and holdings,
the news items with their targets and each user's last visit of the news, the articles with their
versions, attachments, readers' feedback and search entries, and the bus's two tables."""
from __future__ import annotations

import uuid

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
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
                      # A reader's list, its capped total and new count are walks of the published
                      # order stopped by a LIMIT: these two cover the walk's filters (all kinds, one
                      # kind) so that it reads neither the rows nor their bodies.
                      Index("ix_news_items_published", "published_at", "id", "retired_at", "targeted", "kind"),
                      Index("ix_news_items_kind_published", "kind", "published_at", "id", "retired_at", "targeted"))

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


# --- Articles (FAQ sheets) of the knowledge base: articles.py, search/ ---

ARTICLE_STATUSES = ("draft", "published", "retired")


class Article(Base):
    """An FAQ sheet: its versions (each edit one more), the one readers see (``published_version``)
    and its status. Brand, domain and titles of the latest version are copied here for the
    operators' list."""

    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    latest_version: Mapped[int] = mapped_column(Integer(), default=1)
    published_version: Mapped[int | None] = mapped_column(Integer(), nullable=True)
    title_en: Mapped[str] = mapped_column(String(300), default="")
    title_fr: Mapped[str] = mapped_column(String(300), default="")
    brand: Mapped[str] = mapped_column(String(100), default="", index=True)
    domain: Mapped[str] = mapped_column(String(100), default="", index=True)
    published_on = mapped_column(Date(), nullable=True)
    first_published_at = mapped_column(UTCDateTime(), nullable=True)
    retired_at = mapped_column(UTCDateTime(), nullable=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow)
    updated_at = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ArticleVersion(Base):
    """One version of an article as an operator wrote it (Markdown bodies); never changed after."""

    __tablename__ = "article_versions"

    article_id: Mapped[str] = mapped_column(String(32), ForeignKey("articles.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=False)
    title_en: Mapped[str] = mapped_column(String(300), default="")
    body_en: Mapped[str] = mapped_column(Text(), default="")
    title_fr: Mapped[str] = mapped_column(String(300), default="")
    body_fr: Mapped[str] = mapped_column(Text(), default="")
    brand: Mapped[str] = mapped_column(String(100), default="")
    domain: Mapped[str] = mapped_column(String(100), default="")
    products: Mapped[str] = mapped_column(Text(), default="[]")  # JSON list of product codes
    keywords: Mapped[str] = mapped_column(Text(), default="[]")  # JSON list of words
    created_at = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ArticleAttachment(Base):
    """A PDF or text file of an article (in the file store), with the text extracted for the search."""

    __tablename__ = "article_attachments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    article_id: Mapped[str] = mapped_column(String(32), ForeignKey("articles.id"), index=True)
    file_key: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer())
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text(), default="")
    created_at = mapped_column(UTCDateTime(), default=utcnow)


class ArticleFeedback(Base):
    """A reader's "Was this helpful?" answer to an article (one per user, changeable)."""

    __tablename__ = "article_feedback"

    article_id: Mapped[str] = mapped_column(String(32), ForeignKey("articles.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    helpful: Mapped[bool] = mapped_column(Boolean())
    updated_at = mapped_column(UTCDateTime(), default=utcnow)


class ArticleSearchEntry(Base):
    """What the search reads of one language of a published article (plain texts). The engine's
    index sits beside it: SQLite's FTS5 tables ``article_search_en`` and ``article_search_fr``
    (rowid = ``id``) and their ``_heading`` tables, PostgreSQL's ``document`` (stems), ``words``
    (unstemmed, for prefixes) and ``heading_document`` (title and keywords) tsvector columns, which
    the engine's insert fills, with their GIN indexes, one per language (migrations 0005_articles, 0007_search_tiers,
    0008_search_keywords_tier, 0009_search_prefix_words, 0010_search_tables_per_language, search/)."""

    __tablename__ = "article_search"
    __table_args__ = (UniqueConstraint("article_id", "language", name="uq_article_search_article_language"),
                      Index("ix_article_search_filters", "brand", "domain"))

    id: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(String(32), ForeignKey("articles.id"), index=True)
    language: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(Text(), default="")
    keywords: Mapped[str] = mapped_column(Text(), default="")
    body: Mapped[str] = mapped_column(Text(), default="")
    attachments: Mapped[str] = mapped_column(Text(), default="")
    brand: Mapped[str] = mapped_column(String(100), default="")
    domain: Mapped[str] = mapped_column(String(100), default="")
    published_on = mapped_column(Date(), nullable=True)


# The engine's tables beside the models (not mapped; deploy/tests/test_migrations_match_models.py
# leaves them out): SQLite's FTS5 tables, two a language, the shadow tables FTS5 keeps for them and
# the words indexed (search/sqlite_engine.py).
UNMAPPED_TABLES = frozenset(f"article_search_{language}{part}{shadow}" for language in ("en", "fr")
                            for part in ("", "_heading")
                            for shadow in ("", "_data", "_idx", "_content", "_docsize", "_config")
                            ) | {"article_search_vocabulary"}

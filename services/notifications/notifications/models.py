"""notifications' tables: the mails it has sent, the bus's handled-event ids, who holds which
watched service and which products, the declarant accounts, and the new-content mails (publications, deliveries, digests)."""
from __future__ import annotations

import uuid

from sqlalchemy import JSON, Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portalkit.consumer import HandledEventMixin
from portalkit.db import UTCDateTime, utcnow
from portalkit.product_directory import HoldingMixin, ProductMixin


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    pass


# notifications publishes no event, so it has no outbox.
class HandledEvent(HandledEventMixin, Base):
    pass


class SentMail(Base):
    """One mail handed to the SMTP server, written in the transaction of the event that caused it."""

    __tablename__ = "sent_mails"
    __table_args__ = (Index("ix_sent_mails_recipient_time", "recipient", "sent_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    sent_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class ServiceHolder(Base):
    """A holder of one of the services whose holders notifications mails (``holders.WATCHED``) for a
    company (``company_id``, the subscription's scope), as the catalog's Subscription* events and
    identity's user events tell: whom a new update, document or content item mails, at which
    address, in which language."""

    __tablename__ = "service_holders"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    company_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    service_code: Mapped[str] = mapped_column(String(120), primary_key=True)
    email = mapped_column(String(254), nullable=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")

    # Mails look holders up by service, then company.
    __table_args__ = (Index("ix_service_holders_service_company", "service_code", "company_id"),)


class Product(ProductMixin, Base):
    """A product of the vendor's, as assets tells it (portalkit.product_directory)."""


class Holding(HoldingMixin, Base):
    """What a company holds, as assets tells it: content targeted at products reaches its holders."""


class MailPreference(Base):
    """How a user wants the mails of new content: one per item at once, or a daily digest."""

    __tablename__ = "mail_preferences"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_mails: Mapped[str] = mapped_column(String(16), default="immediate")
    updated_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class ContentPublication(Base):
    """A published article or news item, recorded by the event's handler; the fan-out job expands
    it into deliveries (``cursor_*``: the last holder expanded, keyset order)."""

    __tablename__ = "content_publications"
    __table_args__ = (UniqueConstraint("item_type", "item_id", name="uq_content_publications_item"),
                      Index("ix_content_publications_expanded", "expanded", "recorded_at"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    item_type: Mapped[str] = mapped_column(String(16))  # article | news
    item_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # faq, or the news kind
    service_code: Mapped[str] = mapped_column(String(120))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    title_fr: Mapped[str] = mapped_column(String(300), default="")
    product_codes: Mapped[list] = mapped_column(JSON(), default=list)
    domains: Mapped[list] = mapped_column(JSON(), default=list)
    published_on = mapped_column(Date(), nullable=True)
    event_id: Mapped[str] = mapped_column(String(36))
    correlation_id = mapped_column(String(128), nullable=True)
    recorded_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expanded: Mapped[bool] = mapped_column(default=False)
    cursor_user_id: Mapped[str] = mapped_column(String(64), default="")
    cursor_company_id: Mapped[str] = mapped_column(String(64), default="")
    recipients: Mapped[int] = mapped_column(Integer(), default=0)
    expanded_at = mapped_column(UTCDateTime(), nullable=True)


class OutgoingMixin:
    """What the sender loop keeps of a mail to send: pending → claimed (by a lane, until its lease
    ends) → sending (recorded just before the SMTP hand-over) → sent | refused | failed."""

    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    first_name: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer(), default=0)
    next_attempt_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    claimed_by = mapped_column(String(120), nullable=True)
    claimed_until = mapped_column(UTCDateTime(), nullable=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    sent_at = mapped_column(UTCDateTime(), nullable=True)


class ContentDelivery(OutgoingMixin, Base):
    """One holder to tell of one publication: at most one row per (publication, user). Sent on its
    own (``mode`` immediate) or gathered into the user's daily digest (``digest_id``)."""

    __tablename__ = "content_deliveries"
    __table_args__ = (UniqueConstraint("publication_id", "user_id", name="uq_content_deliveries_once"),
                      Index("ix_content_deliveries_queue", "state", "mode", "next_attempt_at", "id"),
                      Index("ix_content_deliveries_user", "user_id", "state"))

    id: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=True)
    publication_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16), default="immediate")
    digest_id = mapped_column(Integer(), nullable=True, index=True)


class ContentDigest(OutgoingMixin, Base):
    """One user's daily digest: one mail listing the day's items (its deliveries)."""

    __tablename__ = "content_digests"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_content_digests_user_day"),
                      Index("ix_content_digests_queue", "state", "next_attempt_at", "id"))

    id: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(String(64))
    day = mapped_column(Date(), nullable=False)


class Declarant(Base):
    """A declarant account of the Etafi declarative portal, as identity's Declarant* events tell:
    where and in which language the mails of its filings go (their events name only its id or its
    company), its company and role (a supervisor is told of its group's rejections)."""

    __tablename__ = "declarants"
    __table_args__ = (Index("ix_declarants_company", "company_id"),)

    declarant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    login: Mapped[str] = mapped_column(String(100), default="")
    email = mapped_column(String(254), nullable=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    # Empty for the rows recorded before they were kept: the next event of the account fills them.
    company_id: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(16), default="declarant")

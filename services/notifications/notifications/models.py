"""notifications' tables: the mails it has sent, and the bus's handled-event ids."""
from __future__ import annotations

import uuid

from sqlalchemy import Index, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portalkit.consumer import HandledEventMixin
from portalkit.db import UTCDateTime, utcnow


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

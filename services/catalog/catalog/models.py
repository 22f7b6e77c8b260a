"""catalog's tables: services, subscriptions, the read-models fed by identity, and the bus's two tables."""
from __future__ import annotations

import uuid

from sqlalchemy import (Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, MetaData, String,
                        Text, text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portalkit.consumer import HandledEventMixin
from portalkit.db import UTCDateTime, utcnow
from portalkit.outbox import OutboxMixin

from .families import is_french

# Named constraints, so that later batch migrations on SQLite can find them again.
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s"}

ACCEPTED, PENDING, REFUSED, EXPIRED, CANCELLED = "accepted", "pending", "refused", "expired", "cancelled"
STATUSES = (ACCEPTED, PENDING, REFUSED, EXPIRED, CANCELLED)
# A subscription that still counts: a right held, or a request waiting for an administrator.
LIVE = (ACCEPTED, PENDING)


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class OutboxMessage(OutboxMixin, Base):
    pass


class HandledEvent(HandledEventMixin, Base):
    pass


class Service(Base):
    """A service of the catalog; ``code`` is what entitlements name (``<code>@<company_id>``)."""

    __tablename__ = "services"
    __table_args__ = (CheckConstraint("min_security_level BETWEEN 1 AND 3", name="min_security_level"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    family: Mapped[str] = mapped_column(String(40), index=True)
    title_en: Mapped[str] = mapped_column(String(200))
    title_fr: Mapped[str] = mapped_column(String(200), default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    needs_validation: Mapped[bool] = mapped_column(Boolean, default=False)
    auto_subscribe: Mapped[bool] = mapped_column(Boolean, default=False)
    min_security_level: Mapped[int] = mapped_column(Integer, default=1)
    needs_contract: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set for a service made for one client company only (e.g. one of its products).
    scope_company_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    retired_at = mapped_column(UTCDateTime(), nullable=True)

    def title(self, language: str) -> str:
        return (self.title_fr or self.title_en) if is_french(language) else self.title_en

    def description(self, language: str) -> str:
        return (self.description_fr or self.description_en) if is_french(language) else self.description_en


class Subscription(Base):
    """A user's right to a service for one company (their own, or a supervised associate)."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        Index("ix_subscriptions_user_status", "user_id", "status"),
        Index("ix_subscriptions_scope_status", "scope_company_id", "status"),
        # At most one live subscription per user, service and company, even under concurrent
        # requests or a duplicated grant.
        Index("uq_subscriptions_live", "service_id", "user_id", "scope_company_id", unique=True,
              sqlite_where=text(f"status IN {LIVE!r}"), postgresql_where=text(f"status IN {LIVE!r}")),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("services.id"))
    user_id: Mapped[str] = mapped_column(String(64))
    company_id: Mapped[str] = mapped_column(String(64))  # the user's own company
    scope_company_id: Mapped[str] = mapped_column(String(64))  # the company the right applies to
    status: Mapped[str] = mapped_column(String(12))
    requested_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    decided_at = mapped_column(UTCDateTime(), nullable=True)
    expires_on = mapped_column(Date(), nullable=True)
    # An administrator's reason for a refusal, or the code of why the portal ended it
    # ("unsubscribed", "security_level_lowered", "user_deleted").
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)


class Company(Base):
    """identity's client company, as the catalog needs it (from CompanyRegistered, AssociateLinked)."""

    __tablename__ = "companies"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    parent_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)


class Member(Base):
    """An activated user of a client company, as the catalog needs it (from identity's user events)."""

    __tablename__ = "members"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    company_id: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    security_level: Mapped[int] = mapped_column(Integer, default=1)

    def recipient(self) -> dict:
        """The person fields every subscription event carries (contract ``Recipient``)."""
        return {"user_id": self.user_id, "email": self.email, "first_name": self.first_name,
                "last_name": self.last_name, "language": self.language}

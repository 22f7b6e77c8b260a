"""catalog's tables: services, subscriptions, companies' settings, the read-models fed by identity
and assets, and the bus's two tables."""
from __future__ import annotations

import uuid

from sqlalchemy import (Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, MetaData, String,
                        Text, literal_column, or_, text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portalkit.consumer import HandledEventMixin
from portalkit.db import UTCDateTime, utcnow
from portalkit.directory import CompanyMixin, ForgottenMemberMixin, MemberMixin
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
# A request an administrator has to decide: a subscription pending, or a renewal asked for.
# (A renewal is asked only of an accepted subscription, and forgotten when it ends.)
WAITING = f"status = '{PENDING}' OR renewal_requested_at IS NOT NULL"
WAITING_SINCE = "coalesce(renewal_requested_at, requested_at)"


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
    # The entitlement code the service grants when it is not ``code``: each per-associate
    # supervision service grants "user-management-supervision-administration" (supervision.py).
    grants_code: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # For a per-associate supervision service: the associate whose users its holder administers
    # (the subscription's ``scope_company_id``).
    supervised_company_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime(), nullable=True)
    retired_at = mapped_column(UTCDateTime(), nullable=True)

    @property
    def entitlement_code(self) -> str:
        """What a subscription to this service is named in entitlements (``<code>@<company>``)."""
        return self.grants_code or self.code

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
        Index("ix_subscriptions_company_status", "company_id", "status"),
        # The catalog's holder counts read only this index (see benchmarks/catalog_listing.py).
        Index("ix_subscriptions_holders", "company_id", "service_id",
              sqlite_where=text(f"status = '{ACCEPTED}'"), postgresql_where=text(f"status = '{ACCEPTED}'")),
        # The validation queue, oldest first: the requests waiting, in the order it shows them.
        Index("ix_subscriptions_waiting", "company_id", text(WAITING_SINCE), "id",
              sqlite_where=text(WAITING), postgresql_where=text(WAITING)),
        # The expiry job's scan: accepted subscriptions with an end date.
        Index("ix_subscriptions_expiry", "expires_on",
              sqlite_where=text(f"status = '{ACCEPTED}' AND expires_on IS NOT NULL"),
              postgresql_where=text(f"status = '{ACCEPTED}' AND expires_on IS NOT NULL")),
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
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the administrator
    expires_on = mapped_column(Date(), nullable=True)
    # An administrator's reason for a refusal, or the code of why the portal ended it
    # ("unsubscribed", "security_level_lowered", "user_deleted", "contract_ended", ...).
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # When the holder and administrators were told the end is near (expiry.py), and when a
    # renewal was asked for (an administrator then accepts it with a new date, or refuses it).
    reminded_at = mapped_column(UTCDateTime(), nullable=True)
    renewal_requested_at = mapped_column(UTCDateTime(), nullable=True)


class Company(CompanyMixin, Base):
    """identity's client company, as the catalog needs it (portalkit.directory)."""


class Member(MemberMixin, Base):
    """A user of a client company, known from their creation (UserCreated) on: subscriptions are
    prepared for them before they activate (grants.py), in force once they can sign in."""

    security_level: Mapped[int] = mapped_column(Integer, default=1)


class ForgottenMember(ForgottenMemberMixin, Base):
    """A deleted user: their late events neither bring them back nor grant them anything."""


class CompanyServiceSetting(Base):
    """A company administrators' choice for one service: granted at account creation, validation."""

    __tablename__ = "company_service_settings"

    company_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("services.id"), primary_key=True)
    auto_subscribe: Mapped[bool] = mapped_column(Boolean)
    needs_validation: Mapped[bool] = mapped_column(Boolean)
    updated_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Contract(Base):
    """A company's maintenance contract, as assets told it (ContractActivated, ContractEnded)."""

    __tablename__ = "contracts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    company_id: Mapped[str] = mapped_column(String(64), index=True)
    starts_on = mapped_column(Date(), nullable=True)
    ends_on = mapped_column(Date(), nullable=True)  # the last day it covers, if planned
    ended_on = mapped_column(Date(), nullable=True)  # set by ContractEnded


def status_is(status: str):
    """``status = '<status>'`` with the value written out, not bound: PostgreSQL then matches the
    partial indexes of subscriptions even in the generic plans of prepared statements."""
    return Subscription.status == literal_column(f"'{status}'")


def waiting():
    """The condition of the validation queue, as the partial index ``ix_subscriptions_waiting`` has it."""
    return or_(status_is(PENDING), Subscription.renewal_requested_at.is_not(None))

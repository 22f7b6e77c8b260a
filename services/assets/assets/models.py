"""assets' tables: companies' maintenance contracts, the companies read-model fed by identity, and
the bus's two tables."""
from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, Date, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portalkit.consumer import HandledEventMixin
from portalkit.db import UTCDateTime, utcnow
from portalkit.directory import CompanyMixin
from portalkit.outbox import OutboxMixin

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
    """identity's client company, as assets needs it (portalkit.directory)."""


class Contract(Base):
    """A company's maintenance contract: in force from ``starts_on`` through ``ends_on`` (if set),
    unless an operator ends it first."""

    __tablename__ = "contracts"
    __table_args__ = (CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    company_id: Mapped[str] = mapped_column(String(64), index=True)
    starts_on = mapped_column(Date(), nullable=False)
    ends_on = mapped_column(Date(), nullable=True)  # the last day it covers
    ended_on = mapped_column(Date(), nullable=True)  # the first day it no longer covers
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    # When ContractActivated was told (at creation, or on its first day by the worker).
    activated_at = mapped_column(UTCDateTime(), nullable=True)

    @property
    def status(self) -> str:
        if self.ended_on is not None:
            return "ended"
        return "active" if self.activated_at is not None else "planned"

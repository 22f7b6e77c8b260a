"""declarations' tables: the deposits (the file's key, size and SHA-256, what the checks read,
the signed receipt) with their timeline's steps; the entities' read-model fed by identity (their
SIRENs), and the bus's two tables."""
from __future__ import annotations

import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portalkit.consumer import HandledEventMixin
from portalkit.db import UTCDateTime
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


def _new_id() -> str:
    return uuid.uuid4().hex


class Entity(Base):
    """identity's company, as a declarant declares for it: its SIREN (CompanyRegistered/Updated)."""

    __tablename__ = "entities"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    siren: Mapped[str | None] = mapped_column(String(9), nullable=True, index=True)


class Deposit(Base):
    """An accepted filing: the bytes as received (``file_key`` in the file store) and what the
    checks read. One file is accepted once per entity (``duplicate_filing``)."""

    __tablename__ = "deposits"
    __table_args__ = (UniqueConstraint("entity_id", "sha256", name="uq_deposits_entity_sha256"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    siren: Mapped[str] = mapped_column(String(9))
    declarant_id: Mapped[str] = mapped_column(String(64), index=True)
    file_key: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(255), default="")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    campaign: Mapped[int] = mapped_column(Integer)
    interchange_reference: Mapped[str] = mapped_column(String(40), default="")
    period_start = mapped_column(Date(), nullable=True)
    period_end = mapped_column(Date(), nullable=True)
    regimes: Mapped[str] = mapped_column(String(100), default="")  # comma-separated CAV codes
    currency: Mapped[str] = mapped_column(String(3), default="")
    tax_reference: Mapped[str] = mapped_column(String(40), default="")
    corrective: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="accepted")
    deposited_at = mapped_column(UTCDateTime(), nullable=False, index=True)
    receipt: Mapped[str] = mapped_column(Text)  # <payload>.<signature> (receipts.py)


class DepositStep(Base):
    """One step of a deposit's timeline: a check of the portal's (later, the administration's)."""

    __tablename__ = "deposit_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    deposit_id: Mapped[str] = mapped_column(ForeignKey("deposits.id"), index=True)
    step: Mapped[str] = mapped_column(String(40))
    at = mapped_column(UTCDateTime(), nullable=False)
    error: Mapped[bool] = mapped_column(Boolean, default=False)
    final: Mapped[bool] = mapped_column(Boolean, default=False)

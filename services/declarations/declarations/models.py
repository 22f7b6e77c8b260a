"""declarations' tables: the deposits (the file's key, size and SHA-256, what the checks read,
the signed receipt, the transmission's state) with their timeline's steps; the entities' read-model
fed by identity (their SIRENs, the associates tree), and the bus's two tables."""
from __future__ import annotations

import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
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
    """identity's company, as a declarant declares for it: its SIREN (CompanyRegistered/Updated)
    and its place in the associates tree (``parent_id``: CompanyRegistered, AssociateLinked /
    AssociateUnlinked) — a supervisor's subsidiaries are its company's subtree, a rejection's group
    heads the entity's ancestors."""

    __tablename__ = "entities"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    siren: Mapped[str | None] = mapped_column(String(9), nullable=True, index=True)
    parent_id = mapped_column(String(64), nullable=True, index=True)
    # Its fiscal profile (deadlines.py): the closing date of its financial year ("MM-DD") and the
    # obligations it files (obligations.py's codes, comma-separated).
    closing: Mapped[str] = mapped_column(String(5), default="12-31", index=True)
    obligations: Mapped[str] = mapped_column(String(100), default="liasse,cvae,vat")


# A deposit's states after the portal's checks (a refusal of the portal stores nothing): queued →
# sent (to the partner) → refused_by_partner | taken (by the partner) → accepted | partly_rejected
# | rejected (by the administration).
FINAL_STATES = frozenset({"refused_by_partner", "accepted", "partly_rejected", "rejected"})


class Deposit(Base):
    """A filing the portal accepted: the bytes as received (``file_key`` in the file store), what
    the checks read, and its transmission through the EDI partner (``status``, ``partner_reference``,
    the attempts and their backoff, the final answer's ``codes``). One file is accepted once per
    entity (``duplicate_filing``)."""

    __tablename__ = "deposits"
    __table_args__ = (UniqueConstraint("entity_id", "sha256", name="uq_deposits_entity_sha256"),
                      Index("ix_deposits_status_next_attempt", "status", "next_attempt_at"),
                      # The supervisor's table: an entity's latest deposit per obligation and period.
                      Index("ix_deposits_entity_obligation_period", "entity_id", "obligation", "period_end",
                            "deposited_at"))

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
    obligation: Mapped[str] = mapped_column(String(20), default="liasse")  # liasse, cvae, vat
    partner_reference = mapped_column(String(64), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # The partner's reports polled in vain in a row (it was down or answered an error): the next
    # poll backs off like a submission; an answer sets it back to 0.
    poll_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at = mapped_column(UTCDateTime(), nullable=True)
    transmitted_at = mapped_column(UTCDateTime(), nullable=True)
    acknowledged_at = mapped_column(UTCDateTime(), nullable=True)
    simulation: Mapped[bool] = mapped_column(Boolean, default=False)
    codes: Mapped[str] = mapped_column(String(200), default="")  # the final answer's reject codes, comma-separated


class DepositStep(Base):
    """One step of a deposit's timeline: a check of the portal's, an event of the EDI partner's or
    a report of the administration's (``source``), with its reject ``code`` if any; ``report_id``
    (the partner's) records a report once however often it is polled."""

    __tablename__ = "deposit_steps"
    __table_args__ = (UniqueConstraint("deposit_id", "report_id", name="uq_deposit_steps_deposit_report"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    deposit_id: Mapped[str] = mapped_column(ForeignKey("deposits.id"), index=True)
    step: Mapped[str] = mapped_column(String(40))
    at = mapped_column(UTCDateTime(), nullable=False)
    error: Mapped[bool] = mapped_column(Boolean, default=False)
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(20), default="portal")  # portal, partner, administration
    code: Mapped[str] = mapped_column(String(20), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    simulation: Mapped[bool] = mapped_column(Boolean, default=False)
    report_id = mapped_column(String(64), nullable=True)


class Reminder(Base):
    """A DeclarationDue written once: the entity, the obligation, the period and the threshold
    (days before the due date, ``PORTAL_DECLARATIONS_REMINDER_DAYS``) it was reminded at."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("entity_id", "obligation", "period_end", "days",
                                       name="uq_reminders_entity_obligation_period_days"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_id: Mapped[str] = mapped_column(String(64))
    obligation: Mapped[str] = mapped_column(String(20))
    period_end = mapped_column(Date(), nullable=False)
    days: Mapped[int] = mapped_column(Integer)
    due_on = mapped_column(Date(), nullable=False)
    sent_at = mapped_column(UTCDateTime(), nullable=False)


class SupervisionRow(Base):
    """The supervisor's table kept ready (supervision_rows.py): one row per entity × obligation it
    files × year, with the period's due date and its latest deposit's state — updated in the
    transaction of every change that moves it, so that the table reads it instead of deriving it."""

    __tablename__ = "supervision_rows"
    __table_args__ = (Index("ix_supervision_rows_year_entity", "year", "entity_id"),
                      Index("ix_supervision_rows_year_due", "year", "due_on", "name", "entity_id", "rank"),
                      # The deadlines' next of each, over the years around today (schedule.listed).
                      Index("ix_supervision_rows_due", "due_on", "name", "entity_id", "rank"))

    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    obligation: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    rank: Mapped[int] = mapped_column(Integer)  # the obligation's place in obligations.CODES
    name: Mapped[str] = mapped_column(String(200), default="")  # the entity's, for the sort and the search
    siren: Mapped[str] = mapped_column(String(9))
    period_end = mapped_column(Date(), nullable=False)
    due_on = mapped_column(Date(), nullable=False)
    # The latest deposit of the entity, obligation and period (none: expected).
    deposit_id = mapped_column(String(32), nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="expected")
    codes: Mapped[str] = mapped_column(String(200), default="")
    transmitted_at = mapped_column(UTCDateTime(), nullable=True)


class SupervisionYear(Base):
    """A year whose supervision rows exist for every entity (filled on its first read)."""

    __tablename__ = "supervision_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class EntityLineage(Base):
    """The associates tree's closure (tree.py): a row per entity and each entity at or above it,
    so that a supervisor's 10,000 subsidiaries are one index range, not a recursive walk."""

    __tablename__ = "entity_lineage"

    ancestor_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class SupervisionTally(Base):
    """The supervisor's summary kept ready (supervision_rows.py): how many rows of each entity at or
    below ``ancestor_id`` have each year, obligation, state and due date — and, for a deposited row,
    the hour it was transmitted in (``sent_hour``, hours since 1970; 0 otherwise), so that ``stuck``
    is counted from the hours before the clock's and only the hour at the limit is read row by row."""

    __tablename__ = "supervision_tallies"

    ancestor_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    obligation: Mapped[str] = mapped_column(String(20), primary_key=True)
    state: Mapped[str] = mapped_column(String(20), primary_key=True)
    due_on = mapped_column(Date(), primary_key=True)
    sent_hour: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    rows: Mapped[int] = mapped_column(Integer, default=0)

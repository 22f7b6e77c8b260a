"""support's tables: the requests with their followers, thread, attachments, history and reads; the
numbering counter; the deflections; the companies and members read-models fed by identity, assets'
products and holdings, and the bus's two tables."""
from __future__ import annotations

import uuid

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, MetaData, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portalkit.consumer import HandledEventMixin
from portalkit.db import UTCDateTime, utcnow
from portalkit.directory import CompanyMixin, ForgottenMemberMixin, MemberMixin
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
    """identity's client company, as support needs it (portalkit.directory)."""


class Member(MemberMixin, Base):
    """A user of a client company: who opened or follows a request, by name (``display_name``)."""


class ForgottenMember(ForgottenMemberMixin, Base):
    """A deleted user: their late events do not bring them back."""


class Product(ProductMixin, Base):
    """A product of the vendor's, as assets tells it (portalkit.product_directory)."""


class Holding(HoldingMixin, Base):
    """What a company holds, as assets tells it: a request offers the company's products."""


def _new_id() -> str:
    return uuid.uuid4().hex


def _one_of(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


STATUSES = ("new", "in_progress", "waiting_for_customer", "resolved", "closed", "reopened")
SEVERITIES = ("blocking", "major", "minor", "question")


RUNNING_DUE = "(CASE WHEN first_response_at IS NULL THEN first_response_due ELSE resolution_due END)"
CLOCK_RUNS = "status NOT IN ('resolved', 'closed') AND paused_at IS NULL"
CLOCK_COLUMNS = ["first_response_at", "first_response_due", "resolution_due"]
RUNNING_RISK = "(CASE WHEN first_response_at IS NULL THEN first_response_risk_at ELSE resolution_risk_at END)"
RISK_COLUMNS = [*CLOCK_COLUMNS, "first_response_risk_at", "resolution_risk_at"]
CLOCK_PAUSED = "paused_at IS NOT NULL"


class RequestCounter(Base):
    """The last sequence number given in a year: ``SR-<year>-<sequence>``, one row per year, taken
    by an upsert in the request's own transaction (concurrent creations each get their own)."""

    __tablename__ = "request_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, nullable=False)


class SupportRequest(Base):
    """A client's support request. The clock: ``first_response_due`` and ``resolution_due`` (with the
    moments they turn "at risk"), moved on by the business time a pause (waiting for the customer)
    took; ``paused_at`` while paused."""

    __tablename__ = "support_requests"
    __table_args__ = (
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint(_one_of("severity", SEVERITIES), name="severity"),
        Index("ix_support_requests_company_updated", "company_id", "updated_at"),
        Index("ix_support_requests_requester_updated", "requester_id", "updated_at"),
        # A company's list by status (the status index alone would be ANDed in, a sixth of the table).
        Index("ix_support_requests_company_status_updated", "company_id", "status", "updated_at"),
        Index("ix_support_requests_status_updated", "status", "updated_at"),
        # The operators' queue: its sort alone (no filter) and each of its filters with the sort.
        Index("ix_support_requests_updated", "updated_at", "id"),
        Index("ix_support_requests_severity_updated", "severity", "updated_at"),
        Index("ix_support_requests_product_updated", "product_id", "updated_at"),
        Index("ix_support_requests_assignee_updated", "assignee_id", "updated_at"),
        # The queue's "late" and "due soon": the running target's due moment of the requests whose
        # clock runs (clock.state_condition spells the same expression and condition).
        # The clock's columns ride along on PostgreSQL, so that counting is an index-only scan.
        Index("ix_support_requests_running_due", text(RUNNING_DUE), postgresql_where=text(CLOCK_RUNS),
              sqlite_where=text(CLOCK_RUNS), postgresql_include=CLOCK_COLUMNS),
        Index("ix_support_requests_assignee_running_due", "assignee_id", text(RUNNING_DUE),
              postgresql_where=text(CLOCK_RUNS), sqlite_where=text(CLOCK_RUNS), postgresql_include=CLOCK_COLUMNS),
        # "Due soon" is few among many: read from the moment the running target turns at risk.
        Index("ix_support_requests_running_risk", text(RUNNING_RISK), postgresql_where=text(CLOCK_RUNS),
              sqlite_where=text(CLOCK_RUNS), postgresql_include=RISK_COLUMNS),
        # "Paused": the requests waiting for the customer, most recently active first.
        Index("ix_support_requests_paused_updated", "updated_at", postgresql_where=text(CLOCK_PAUSED),
              sqlite_where=text(CLOCK_PAUSED), postgresql_include=["status"]),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    company_id: Mapped[str] = mapped_column(String(64))
    requester_id: Mapped[str] = mapped_column(String(64))
    product_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(24), default="new")
    assignee_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    updated_at = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    # The status's own moment (resolved, closed): the reopen window and the auto-close count from it.
    status_changed_at = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    # The last comment of the client's side (the auto-close waits this long after it too).
    last_client_comment_at = mapped_column(UTCDateTime(), nullable=True)
    first_response_at = mapped_column(UTCDateTime(), nullable=True)
    first_response_due = mapped_column(UTCDateTime(), nullable=False)
    first_response_risk_at = mapped_column(UTCDateTime(), nullable=False)
    resolution_due = mapped_column(UTCDateTime(), nullable=False)
    resolution_risk_at = mapped_column(UTCDateTime(), nullable=False)
    paused_at = mapped_column(UTCDateTime(), nullable=True)


class RequestFollower(Base):
    """A colleague of the requester (same company) who follows the request and is mailed with them."""

    __tablename__ = "request_followers"

    request_id: Mapped[str] = mapped_column(ForeignKey("support_requests.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class RequestComment(Base):
    """A message of the thread: the client's side or an operator's (``internal``: a note between
    operators, never shown to a client nor carried by an event)."""

    __tablename__ = "request_comments"
    __table_args__ = (CheckConstraint(_one_of("author_kind", ("client", "operator")), name="author_kind"),
                      Index("ix_request_comments_request_time", "request_id", "created_at"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("support_requests.id"))
    author_id: Mapped[str] = mapped_column(String(64))
    author_kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class RequestAttachment(Base):
    """A file sent with the request (``comment_id`` None) or with a comment; its type is the one its
    content showed, never the name's."""

    __tablename__ = "request_attachments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("support_requests.id"), index=True)
    comment_id: Mapped[str | None] = mapped_column(ForeignKey("request_comments.id"), nullable=True)
    file_key: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(64))
    created_at = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class RequestMove(Base):
    """One status move in the request's history: who, when, from, to (``from_status`` None: opened)."""

    __tablename__ = "request_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("support_requests.id"), index=True)
    at = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    actor_kind: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(24), nullable=True)
    to_status: Mapped[str] = mapped_column(String(24))


class RequestRead(Base):
    """When a client last read a request: what operators answered after it is "new" for them."""

    __tablename__ = "request_reads"

    request_id: Mapped[str] = mapped_column(ForeignKey("support_requests.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    read_at = mapped_column(UTCDateTime(), nullable=False)


class Deflection(Base):
    """A request not opened: a suggested article answered the user's question ("this answered it")."""

    __tablename__ = "deflections"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    company_id: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[str] = mapped_column(String(64))
    article_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    subject: Mapped[str] = mapped_column(String(200))
    created_at = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class WeeklyCount(Base):
    """Requests opened and moves to resolved in a week (its Monday, UTC), counted by an upsert in
    the transaction of the opening or the move: the operators' weekly chart reads a dozen rows."""

    __tablename__ = "weekly_counts"

    week = mapped_column(Date, primary_key=True)
    opened: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    resolved: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

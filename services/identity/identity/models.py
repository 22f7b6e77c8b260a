"""identity's tables: companies, users, one-time tokens, sign-in audits, and the bus's two tables."""
from __future__ import annotations

import uuid

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from portalkit.consumer import HandledEventMixin
from portalkit.db import UTCDateTime, utcnow
from portalkit.outbox import OutboxMixin


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    pass


class OutboxMessage(OutboxMixin, Base):
    pass


class HandledEvent(HandledEventMixin, Base):
    pass


class Company(Base):
    """A client account of the vendor; ``parent_id`` links a third-party associate under it."""

    __tablename__ = "companies"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("companies.id"), nullable=True, index=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class User(Base):
    """A person of a client company (or an operator of the vendor) who may sign in."""

    __tablename__ = "users"
    __table_args__ = (Index("ix_users_company_last_name", "company_id", "last_name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    company_id: Mapped[str | None] = mapped_column(ForeignKey("companies.id"), nullable=True)
    # Lower-cased; NULL for the manual's "no e-mail" users.
    email: Mapped[str | None] = mapped_column(String(254), unique=True, nullable=True)
    title: Mapped[str | None] = mapped_column(String(10), nullable=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    function: Mapped[str] = mapped_column(String(100), default="")
    office_phone: Mapped[str] = mapped_column(String(40), default="")
    mobile_phone: Mapped[str] = mapped_column(String(40), default="")
    security_level: Mapped[int] = mapped_column(Integer, default=1)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    password_changed_at = mapped_column(UTCDateTime(), nullable=True)
    activated_at = mapped_column(UTCDateTime(), nullable=True)
    is_operator: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set on the administrator an operator names when registering the company: once active,
    # catalog grants them "User Management - Administration".
    designated_administrator: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until = mapped_column(UTCDateTime(), nullable=True)
    last_sign_in_at = mapped_column(UTCDateTime(), nullable=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    company: Mapped[Company | None] = relationship(lazy="joined")

    @property
    def status(self) -> str:
        if self.email is None:
            return "no_email"
        return "active" if self.activated_at is not None else "not_activated"

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or (self.email or "")


class OneTimeToken(Base):
    """An activation, password-reset or e-mail-change link; only its SHA-256 is kept."""

    __tablename__ = "one_time_tokens"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    purpose: Mapped[str] = mapped_column(String(20))  # activation | password_reset | email_change
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    new_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime(), nullable=False)
    used_at = mapped_column(UTCDateTime(), nullable=True)


class SignInAudit(Base):
    """One sign-in attempt, successful or not, for the user's history and the lockout rule."""

    __tablename__ = "sign_in_audits"
    __table_args__ = (Index("ix_sign_in_audits_user_time", "user_id", "occurred_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    occurred_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(40), default="")
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")

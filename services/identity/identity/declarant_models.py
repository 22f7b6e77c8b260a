"""identity's tables of the Etafi declarative portal: declarant accounts (their own login and
password), their password links and sign-in audits, and who holds the services that let a portal
user be tied to one (a read-model of catalog's subscription events)."""
from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portalkit.db import UTCDateTime, utcnow

from .models import Base, Company, new_id

ROLES = ("declarant", "supervisor")
STATUSES = ("active", "locked", "revoked")
# Declarant accounts are at the strong level: the tax filings of a company are behind them.
DECLARANT_LEVEL = 3


class Declarant(Base):
    """An account of the declarative portal: a declarant of its company, or the supervisor of a
    group head's subtree of associates; optionally tied to a portal user."""

    __tablename__ = "declarants"
    __table_args__ = (Index("ix_declarants_company_login", "company_id", "login"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    # Lower-cased; the account's own, never the e-mail address.
    login: Mapped[str] = mapped_column(String(64), unique=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="declarant")
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                index=True)
    email: Mapped[str] = mapped_column(String(254))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    password_changed_at = mapped_column(UTCDateTime(), nullable=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until = mapped_column(UTCDateTime(), nullable=True)
    last_sign_in_at = mapped_column(UTCDateTime(), nullable=True)
    issued_by: Mapped[str] = mapped_column(String(64), default="")
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    revoked_at = mapped_column(UTCDateTime(), nullable=True)

    company: Mapped[Company] = relationship(lazy="joined")

    @property
    def locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > utcnow()

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "locked" if self.locked else "active"

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.login

    # What the password rules and the lockout read of an account, named as on a portal user.
    security_level = DECLARANT_LEVEL


class DeclarantToken(Base):
    """A link that sets a declarant's password (at issue and at each reset); only its SHA-256 is kept."""

    __tablename__ = "declarant_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    declarant_id: Mapped[str] = mapped_column(ForeignKey("declarants.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime(), nullable=False)
    used_at = mapped_column(UTCDateTime(), nullable=True)


class DeclarativeSignInAudit(Base):
    """One declarative sign-in attempt, successful or not, for the declarant's history."""

    __tablename__ = "declarative_sign_in_audits"
    __table_args__ = (Index("ix_declarative_audits_declarant_time", "declarant_id", "occurred_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    declarant_id: Mapped[str] = mapped_column(ForeignKey("declarants.id", ondelete="CASCADE"))
    occurred_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(40), default="")
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")


class DeclarativeHolding(Base):
    """A portal user's subscription to "Declarative services (Etafi)" or "Supervisor service
    (Etafi)", as catalog tells it (keyed by subscription: an end that arrives first keeps a late
    acceptance void): what lets the user be tied to a declarant account of that role."""

    __tablename__ = "declarative_holdings"
    __table_args__ = (Index("ix_declarative_holdings_user", "user_id", "service_code"),)

    subscription_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64))
    company_id: Mapped[str] = mapped_column(String(64))
    service_code: Mapped[str] = mapped_column(String(100))
    granted_at = mapped_column(UTCDateTime(), nullable=True)
    ended_at = mapped_column(UTCDateTime(), nullable=True)

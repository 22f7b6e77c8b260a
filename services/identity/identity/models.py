"""identity's tables: companies, users and what hangs on them (tokens, audits, groups, imports), the
administrators and interests read-models fed by catalog, contacts, access requests, and the bus's two tables."""
from __future__ import annotations

import uuid

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
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
    # The French company's nine digits (Luhn key checked): a declaring entity of the Etafi portal.
    siren: Mapped[str | None] = mapped_column(String(9), unique=True, nullable=True)
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
    # An operator another operator disabled: they can no longer sign in (kept for the trail).
    disabled_at = mapped_column(UTCDateTime(), nullable=True)
    # Set on the administrator an operator names when registering the company: once active,
    # catalog grants them "User Management - Administration".
    designated_administrator: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when an administrator raises the level: the old password was never checked against it.
    password_renewal_required: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until = mapped_column(UTCDateTime(), nullable=True)
    last_sign_in_at = mapped_column(UTCDateTime(), nullable=True)
    # The sign-in before the last one: "new users since your last connection" counts from it.
    previous_sign_in_at = mapped_column(UTCDateTime(), nullable=True)
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

    @property
    def locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > utcnow()


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


class PasswordHistory(Base):
    """A password a user has had (its argon2id hash): moderate and strong levels refuse the last ten."""

    __tablename__ = "password_history"
    __table_args__ = (Index("ix_password_history_user_time", "user_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class UserGroup(Base):
    """A named set of a company's users, for the administrator's filters."""

    __tablename__ = "user_groups"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    name: Mapped[str] = mapped_column(String(100))
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class GroupMember(Base):
    __tablename__ = "group_members"

    group_id: Mapped[str] = mapped_column(ForeignKey("user_groups.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)


class AdministrationGrant(Base):
    """Who holds "User Management - Administration" (or its supervision) for which company.

    A read-model of catalog's subscription events, keyed by subscription: an end that arrives
    before its acceptance is kept (``granted_at`` empty) so that the late acceptance stays void.
    """

    __tablename__ = "administration_grants"
    __table_args__ = (Index("ix_administration_grants_scope", "scope_company_id", "service_code"),)

    subscription_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    service_code: Mapped[str] = mapped_column(String(100))
    scope_company_id: Mapped[str] = mapped_column(String(64))
    granted_at = mapped_column(UTCDateTime(), nullable=True)
    ended_at = mapped_column(UTCDateTime(), nullable=True)


class AdministrationAudit(Base):
    """One administration action: who did what to which user or group of which company, when."""

    __tablename__ = "administration_audits"
    __table_args__ = (Index("ix_administration_audits_company_time", "company_id", "occurred_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    occurred_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    company_id: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(64), default="")
    # Kept as it was at the time: the target may be deleted since.
    target_label: Mapped[str] = mapped_column(String(254), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")


class UserImport(Base):
    """A CSV import of users: its file until it is processed, then its progress and its report.

    A dry run is kept as a ``preview`` (its file and the lines it refused) until ``expires_at``;
    started, it goes on as an upload of the file would; past its time it is ``expired`` and its
    file forgotten."""

    __tablename__ = "user_imports"
    __table_args__ = (Index("ix_user_imports_status", "status", "created_at"),
                      Index("ix_user_imports_company_time", "company_id", "created_at"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    importer_id: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(200), default="")
    # preview | expired | queued | running | done | failed
    status: Mapped[str] = mapped_column(String(20), default="queued")
    content: Mapped[str] = mapped_column(Text, default="")  # the decoded file, emptied once done or expired
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[str] = mapped_column(Text, default="[]")  # JSON [{line, reason}]
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    started_at = mapped_column(UTCDateTime(), nullable=True)
    # Bumped after each chunk: a running import whose worker died is taken up again.
    heartbeat_at = mapped_column(UTCDateTime(), nullable=True)
    finished_at = mapped_column(UTCDateTime(), nullable=True)
    # A preview's end: it may be started until then.
    expires_at = mapped_column(UTCDateTime(), nullable=True)


# The interlocutor roles a company names for the vendor (the guide's contacts form).
CONTACT_ROLES = ("main_contact", "accounting", "payroll", "it", "signatory")
# The one role a company holds once: the vendor's first person to call. Naming another holder
# moves it; the others (two payroll officers, joint signatories) may be held by several.
UNIQUE_CONTACT_ROLES = ("main_contact",)


class ContactRole(Base):
    """A role a user holds as one of their company's interlocutors for the vendor.

    A user may hold several roles. Only ``main_contact`` is unique per company (a partial
    unique index): the vendor needs one first person to call, and two would leave it guessing
    whom; accounting, payroll, IT and signatory are often shared (a payroll team, joint
    signatories), so several users may hold them.
    """

    __tablename__ = "contact_roles"
    __table_args__ = (
        Index("ix_contact_roles_company_role", "company_id", "role"),
        Index("uq_contact_roles_main_contact", "company_id", unique=True,
              sqlite_where=text("role = 'main_contact'"), postgresql_where=text("role = 'main_contact'")),
    )

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    named_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class InterestSubscription(Base):
    """A user's subscription to a "Functional preference: …" or "Receive …" service: their
    interests, as catalog tells them (a read-model of its subscription events, keyed by
    subscription, like ``AdministrationGrant``). The subscription in catalog is the one truth;
    this is how identity answers who wants what without calling catalog back."""

    __tablename__ = "interest_subscriptions"
    __table_args__ = (Index("ix_interest_subscriptions_company", "company_id"),)

    subscription_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    company_id: Mapped[str] = mapped_column(String(64))
    service_id: Mapped[str] = mapped_column(String(64))
    service_code: Mapped[str] = mapped_column(String(100))
    service_title: Mapped[str] = mapped_column(String(200), default="")
    granted_at = mapped_column(UTCDateTime(), nullable=True)
    ended_at = mapped_column(UTCDateTime(), nullable=True)


class AccessRequest(Base):
    """A request for an account by someone with no credentials (« identifiants perdus »).

    ``status``: ``pending`` (waiting for a decision), ``accepted`` (the account was created:
    ``user_id``), ``refused``, ``superseded`` (the same address asked again since: the newer
    request stands), ``existing_account`` (the address has an account already: its holder was
    mailed the way back in, nothing is to decide).
    """

    __tablename__ = "access_requests"
    __table_args__ = (Index("ix_access_requests_status_company", "status", "company_id", "created_at"),
                      Index("ix_access_requests_email", "email"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    email: Mapped[str] = mapped_column(String(254))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    # What the requester typed (a number or a name), and the company it names when known.
    company_text: Mapped[str] = mapped_column(String(200), default="")
    company_id: Mapped[str | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"), nullable=True)
    message: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    # administrators | operators: who was mailed it.
    routed_to: Mapped[str] = mapped_column(String(20), default="operators")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    decided_at = mapped_column(UTCDateTime(), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[str | None] = mapped_column(String(32), nullable=True)

    company: Mapped[Company | None] = relationship(lazy="joined")

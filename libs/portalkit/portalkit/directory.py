"""A service's copy of identity's companies (with their associates' tree) and members: the
columns (mixins, each service its own tables and migrations) and the handlers of identity's events
that keep them, for the service's ``HANDLERS``.

A service declares ``class Company(CompanyMixin, Base)`` and ``class Member(MemberMixin, Base)``
(and ``class ForgottenMember(ForgottenMemberMixin, Base)`` to remember deleted users),
adds the columns of its own it needs named as the user events name them (``security_level``,
``title``…: they are copied when present), then ``IDENTITY = IdentityDirectory(Company, Member)``
and ``HANDLERS = {**IDENTITY.handlers(), ...}``. Its own reactions wrap a handler: they call it
and work on the company or member it returns.

Every handler is safe to run twice and against events arriving out of order (a retried event comes
back after newer ones): a member keeps the fields of the newest user event applied
(``updated_by_event_at``), never loses its activation, a deleted one does not come back (with
``ForgottenMemberMixin``), and a company registered after a link to its parent keeps that parent.
A member handler answers None for a user deleted already: a service's reactions skip them.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import UTCDateTime
from .events import Event

# The user events' fields a member copies, where its table has a column of that name.
MEMBER_FIELDS = ("company_id", "email", "first_name", "last_name", "language", "security_level", "title")
# The identity events a directory handles, and the handler of each.
EVENT_HANDLERS = {"CompanyRegistered": "on_company_registered", "AssociateLinked": "on_associate_linked",
                  "AssociateUnlinked": "on_associate_unlinked",
                  "UserCreated": "on_user_created", "UserActivated": "on_user_activated",
                  "UserUpdated": "on_user_updated", "UserDeleted": "on_user_deleted"}
COMPANY_EVENTS = ("CompanyRegistered", "AssociateLinked", "AssociateUnlinked")


class CompanyMixin:
    """identity's client company; ``parent_id`` is the company it is an associate of."""

    __tablename__ = "companies"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    parent_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)


class MemberMixin:
    """A user of a client company, by name and address, activated (``activated_at``) or not yet."""

    __tablename__ = "members"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    company_id: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    # When the user activated their account (UserActivated's time); None while not activated.
    activated_at = mapped_column(UTCDateTime(), nullable=True)
    # When the newest user event whose fields the member holds occurred: an older one, come late,
    # changes nothing.
    updated_by_event_at = mapped_column(UTCDateTime(), nullable=True)

    @property
    def activated(self) -> bool:
        return self.activated_at is not None

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or (self.email or "")

    def recipient(self) -> dict:
        """The person fields of the events that cause mails (contract ``Recipient``)."""
        return {"user_id": self.user_id, "email": self.email, "first_name": self.first_name,
                "last_name": self.last_name, "language": self.language}


class ForgottenMemberMixin:
    """A deleted user: an event about them come after their deletion (a retry) brings nothing back."""

    __tablename__ = "forgotten_members"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    forgotten_at = mapped_column(UTCDateTime(), nullable=False)


class IdentityDirectory:
    """The handlers that keep a service's ``company`` (and ``member``) tables from identity's events;
    with ``forgotten``, deleted users are remembered so that a late event does not revive them."""

    def __init__(self, company: type, member: type | None = None, forgotten: type | None = None):
        self.company, self.member, self.forgotten = company, member, forgotten
        columns = member.__table__.columns.keys() if member is not None else ()
        self.member_fields = tuple(name for name in MEMBER_FIELDS if name in columns)

    def handlers(self, *names: str) -> dict:
        """``{"identity.<Event>": handler}`` for ``names`` (default: every event this directory
        keeps up with: the companies', and the users' when it has members)."""
        names = names or (tuple(EVENT_HANDLERS) if self.member is not None else COMPANY_EVENTS)
        return {f"identity.{name}": getattr(self, EVENT_HANDLERS[name]) for name in names}

    # --- companies ---------------------------------------------------------------------
    def on_company_registered(self, session: Session, event: Event):
        """Record the company, or refresh its number and name (a redelivery, a later registration)."""
        data = event.data
        company = session.get(self.company, data["company_id"])
        if company is None:
            company = self.company(id=data["company_id"], parent_id=data.get("parent_id"))
            session.add(company)
        elif company.parent_id is None:
            # A link told before (AssociateLinked, handled first) stays: it is the newer fact.
            company.parent_id = data.get("parent_id")
        company.number, company.name = data["number"], data["name"]
        session.flush()
        return company

    def on_associate_linked(self, session: Session, event: Event):
        """Put the associate under the company; an associate not heard of yet is recorded by name."""
        data = event.data
        associate = session.get(self.company, data["associate_id"])
        if associate is None:
            associate = self.company(id=data["associate_id"], number="", name=data["associate_name"])
            session.add(associate)
        associate.parent_id = data["company_id"]
        session.flush()
        return associate

    def on_associate_unlinked(self, session: Session, event: Event):
        """Take the associate out from under the company, unless it has moved under another since."""
        associate = session.get(self.company, event.data["associate_id"])
        if associate is not None and associate.parent_id == event.data["company_id"]:
            associate.parent_id = None
            session.flush()
        return associate

    # --- members -----------------------------------------------------------------------
    def on_user_created(self, session: Session, event: Event):
        """Know a user from their creation on: a member not activated yet."""
        return self.record_member(session, event)

    def on_user_activated(self, session: Session, event: Event):
        """The member is active from now on (whatever order their events come in)."""
        member = self.record_member(session, event)
        if member is not None and member.activated_at is None:
            member.activated_at = event.occurred_at
            session.flush()
        return member

    def on_user_updated(self, session: Session, event: Event):
        member = self.record_member(session, event)
        if member is not None and member.activated_at is None and event.data.get("status") == "active":
            # The update of an active user, come before their UserActivated.
            member.activated_at = event.occurred_at
            session.flush()
        return member

    def on_user_deleted(self, session: Session, event: Event):
        """Forget the member; answer the member as it was (None if it was not known)."""
        user_id = event.data["user_id"]
        member = session.get(self.member, user_id)
        if member is not None:
            session.delete(member)
        if self.forgotten is not None and session.get(self.forgotten, user_id) is None:
            session.add(self.forgotten(user_id=user_id, forgotten_at=event.occurred_at))
        session.flush()
        return member

    def record_member(self, session: Session, event: Event):
        """Create or refresh a member from a user event's data, unless a newer one was applied;
        None for a user deleted already (their event came late)."""
        data = event.data
        member = session.get(self.member, data["user_id"])
        if member is None and self.forgotten is not None and session.get(self.forgotten, data["user_id"]):
            return None
        if member is None:
            member = self.member(user_id=data["user_id"])
            session.add(member)
        elif _older(event.occurred_at, member.updated_by_event_at):
            return member
        for name in self.member_fields:
            if name in data and data[name] is not None:
                setattr(member, name, data[name])
        member.updated_by_event_at = event.occurred_at
        session.flush()
        return member


def _older(occurred_at: datetime | None, newest: datetime | None) -> bool:
    """Whether an event's time comes before the newest applied (naive times are UTC)."""
    if occurred_at is None or newest is None:
        return False
    return _aware(occurred_at) < _aware(newest)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)

"""What the catalog knows of identity's companies and members (portalkit.directory keeps them from
identity's events), and who among them administers a company."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit.directory import IdentityDirectory
from portalkit.entitlements import ADMINISTRATION
from .models import ACCEPTED, Company, ForgottenMember, Member, Service, Subscription

# The handlers that keep the companies and members from identity's events (handlers.py adds the
# catalog's own reactions on top).
IDENTITY = IdentityDirectory(Company, Member, ForgottenMember)


def administrators_of(session: Session, company_id: str) -> list[Member]:
    """The members holding an accepted "User Management - Administration" for ``company_id`` who
    have activated their account (the others cannot sign in to decide anything yet)."""
    return list(session.scalars(
        select(Member).join(Subscription, Subscription.user_id == Member.user_id)
        .join(Service, Service.id == Subscription.service_id)
        .where(Service.code == ADMINISTRATION, Subscription.status == ACCEPTED, Member.activated_at.is_not(None),
               Subscription.scope_company_id == company_id)
        .order_by(Member.last_name, Member.first_name, Member.user_id)))


def recipient_of(session: Session, user_id: str, language: str = "en") -> dict:
    """The person fields of a subscription event; a user the catalog no longer knows has no address."""
    member = session.get(Member, user_id)
    return member.recipient() if member else {"user_id": user_id, "email": None, "language": language}

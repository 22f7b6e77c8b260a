"""What the catalog knows of identity's companies and members, kept up to date from its events."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import ACCEPTED, Company, Member, Service, Subscription

ADMINISTRATION = "user-management-administration"
# The entitlement every per-associate supervision service grants, for the associate (supervision.py).
SUPERVISION = "user-management-supervision-administration"
MEMBER_FIELDS = ("company_id", "email", "first_name", "last_name", "language", "security_level")


def record_company(session: Session, company_id: str, number: str, name: str,
                   parent_id: str | None) -> Company:
    company = session.get(Company, company_id) or Company(id=company_id)
    company.number, company.name, company.parent_id = number, name, parent_id
    session.add(company)
    return company


def link_associate(session: Session, company_id: str, associate_id: str, associate_name: str) -> Company:
    """Put ``associate_id`` under ``company_id``; an associate not heard of yet is recorded by name."""
    associate = session.get(Company, associate_id)
    if associate is None:
        associate = Company(id=associate_id, number="", name=associate_name)
        session.add(associate)
    associate.parent_id = company_id
    return associate


def record_member(session: Session, data: dict) -> Member:
    """Create or refresh a member from a user event's data (UserActivated, UserUpdated)."""
    member = session.get(Member, data["user_id"]) or Member(user_id=data["user_id"])
    for name in MEMBER_FIELDS:
        if name in data:
            setattr(member, name, data[name])
    session.add(member)
    session.flush()
    return member


def forget_member(session: Session, user_id: str) -> None:
    member = session.get(Member, user_id)
    if member is not None:
        session.delete(member)


def administrators_of(session: Session, company_id: str) -> list[Member]:
    """The members holding an accepted "User Management - Administration" for ``company_id``."""
    return list(session.scalars(
        select(Member).join(Subscription, Subscription.user_id == Member.user_id)
        .join(Service, Service.id == Subscription.service_id)
        .where(Service.code == ADMINISTRATION, Subscription.status == ACCEPTED,
               Subscription.scope_company_id == company_id)
        .order_by(Member.last_name, Member.first_name, Member.user_id)))


def recipient_of(session: Session, user_id: str, language: str = "en") -> dict:
    """The person fields of a subscription event; a user the catalog no longer knows has no address."""
    member = session.get(Member, user_id)
    return member.recipient() if member else {"user_id": user_id, "email": None, "language": language}

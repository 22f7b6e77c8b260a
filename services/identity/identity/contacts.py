"""Use cases of a company's contacts: the interlocutor roles its administrators name (main
contact, accounting, payroll, IT, signatory), read with each user's interests, for the
administrators and the vendor's operators. Every change goes to the company's trail."""
from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.errors import PortalError, not_found
from portalkit.signed_identity import Identity

from . import access, audit_trail
from .directory import user_conditions
from .interests import live_interests
from .models import CONTACT_ROLES, UNIQUE_CONTACT_ROLES, Company, ContactRole, User


def list_contacts(session: Session, identity: Identity, query: dict,
                  companies: set[str] | None = None) -> tuple[list[dict], int]:
    """The users of the companies in scope, those holding a role first, each with roles and interests."""
    if companies is None:
        companies = access.scope(session, identity, query.get("company"))
    conditions = user_conditions(session, identity, {"q": query.get("q")}, companies)
    if query.get("role"):
        conditions.append(exists().where(ContactRole.user_id == User.id, ContactRole.role == query["role"]))
    holds_a_role = exists().where(ContactRole.user_id == User.id)
    total = session.scalar(select(func.count()).select_from(User).where(*conditions))
    users = list(session.scalars(
        select(User).where(*conditions)
        .order_by(holds_a_role.desc(), User.last_name, User.first_name, User.id)
        .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"])))
    return [_contact(user, roles, interests)
            for user, roles, interests in _with_roles_and_interests(session, users)], total


def company_contacts(session: Session, company_id: str, query: dict) -> tuple[Company, list[dict], int]:
    """An operator's read of one company's contacts; 404 for a company that does not exist."""
    company = session.get(Company, company_id) if len(company_id) <= 32 else None
    if company is None:
        raise not_found("company")
    return (company, *list_contacts(session, Identity(), query, {company_id}))


def contact_of(session: Session, identity: Identity, user_id: str) -> dict:
    """One administered user as a contact (404 outside the caller's companies)."""
    user = access.administered_user(session, identity, user_id)
    [(user, roles, interests)] = _with_roles_and_interests(session, [user])
    return _contact(user, roles, interests)


def set_roles(session: Session, identity: Identity, user_id: str, roles: list[str]) -> dict:
    """Give an administered user exactly ``roles``; naming a new main contact moves the role."""
    user = access.administered_user(session, identity, user_id)
    wanted = set(roles)
    held = set(session.scalars(select(ContactRole.role).where(ContactRole.user_id == user.id)))
    added, removed = sorted(wanted - held, key=CONTACT_ROLES.index), sorted(held - wanted, key=CONTACT_ROLES.index)
    for role in added:
        if role in UNIQUE_CONTACT_ROLES:
            _take_from_previous_holder(session, identity, user, role)
        session.add(ContactRole(user_id=user.id, role=role, company_id=user.company_id))
    for role in removed:
        session.delete(session.get(ContactRole, (user.id, role)))
    if added or removed:
        audit_trail.record(session, identity, "contact_roles_changed", user.company_id, user.id,
                           user.email or user.display_name, added=added, removed=removed)
    try:
        session.commit()
    except IntegrityError:  # another administrator named a main contact at the same moment
        session.rollback()
        raise PortalError(409, "role_taken", "Another user was named to this role at the same time: try again.",
                          {"roles": ["main_contact"]})
    return contact_of(session, identity, user.id)


def _take_from_previous_holder(session: Session, identity: Identity, user: User, role: str) -> None:
    previous = session.scalar(select(ContactRole).where(ContactRole.company_id == user.company_id,
                                                        ContactRole.role == role, ContactRole.user_id != user.id))
    if previous is None:
        return
    holder = session.get(User, previous.user_id)
    session.delete(previous)
    session.flush()  # the unique index must see the old holder gone before the new one comes
    audit_trail.record(session, identity, "contact_roles_changed", user.company_id, previous.user_id,
                       (holder.email or holder.display_name) if holder else "", added=[], removed=[role],
                       moved_to=user.id)


def _with_roles_and_interests(session: Session, users: list[User]):
    ids = [user.id for user in users]
    roles: dict[str, list[str]] = {user_id: [] for user_id in ids}
    if ids:
        for user_id, role in session.execute(select(ContactRole.user_id, ContactRole.role)
                                             .where(ContactRole.user_id.in_(ids))):
            roles[user_id].append(role)
    interests = live_interests(session, ids)
    return [(user, sorted(roles[user.id], key=CONTACT_ROLES.index), interests[user.id]) for user in users]


def _contact(user: User, roles: list[str], interests) -> dict:
    return {"user": user, "company_id": user.company_id, "roles": roles,
            "interests": [{"subscription_id": row.subscription_id, "service_id": row.service_id,
                           "service_code": row.service_code, "service_title": row.service_title}
                          for row in interests]}

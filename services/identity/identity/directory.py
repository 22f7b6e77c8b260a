"""Use cases of reading users: one's own profile and the company administrator's users list."""
from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portalkit.errors import not_found
from portalkit.signed_identity import Identity

from .models import User

ADMINISTRATION = "user-management-administration"
SUPERVISION = "user-management-supervision-administration"


def me(session: Session, identity: Identity) -> User:
    user = session.get(User, identity.user_id)
    if user is None:
        raise not_found("user")
    return user


def administered_companies(identity: Identity) -> set[str]:
    """Companies whose users the caller administers (their own, and supervised associates)."""
    return identity.companies_with(ADMINISTRATION) | identity.companies_with(SUPERVISION)


def list_users(session: Session, identity: Identity, query: dict) -> tuple[list[User], int]:
    companies = administered_companies(identity)
    if query.get("company"):
        if query["company"] not in companies:
            raise not_found("company")
        companies = {query["company"]}
    conditions = [User.company_id.in_(companies)]
    if query.get("q"):
        pattern = f"%{query['q'].lower()}%"
        conditions.append(or_(func.lower(User.last_name).like(pattern),
                              func.lower(User.first_name).like(pattern), User.email.like(pattern)))
    if query.get("function"):
        conditions.append(User.function == query["function"])
    status = query.get("status")
    if status == "no_email":
        conditions.append(User.email.is_(None))
    elif status == "active":
        conditions.append(User.activated_at.is_not(None))
    elif status == "not_activated":
        conditions += [User.activated_at.is_(None), User.email.is_not(None)]
    total = session.scalar(select(func.count()).select_from(User).where(*conditions))
    page, per_page = query["page"], query["per_page"]
    users = session.scalars(select(User).where(*conditions).order_by(User.last_name, User.first_name, User.id)
                            .offset((page - 1) * per_page).limit(per_page)).all()
    return list(users), total

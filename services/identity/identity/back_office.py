"""Use cases of the operators' back office on client companies: search, a company with its tree of
third-party associates, unlinking an associate, the company's users (find, resend the activation
mail, unlock) and its administration trail. Every action is written to the trail of each company
it touches, in the action's own transaction."""
from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portalkit.errors import PortalError, not_found
from portalkit.signed_identity import Identity

from . import audit_trail, directory
from .accounts import send_activation
from .events import outbox
from .models import AdministrationAudit, Company, User
from .settings import IdentitySettings

SEARCHED = (Company.number, Company.name, Company.postcode, Company.city)
MAX_WORDS = 5


def _like(word: str):
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_companies(session: Session, query: dict) -> tuple[list[Company], int]:
    """Companies whose number, name, postcode or city holds every word of ``q``, by name."""
    conditions = []
    for word in (query.get("q") or "").lower().split()[:MAX_WORDS]:
        conditions.append(or_(*(func.lower(column).like(_like(word), escape="\\") for column in SEARCHED)))
    total = session.scalar(select(func.count()).select_from(Company).where(*conditions))
    rows = session.scalars(select(Company).where(*conditions).order_by(func.lower(Company.name), Company.number)
                           .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"]))
    return list(rows), total


def company(session: Session, company_id: str) -> Company:
    found = session.get(Company, company_id) if len(company_id) <= 32 else None
    if found is None:
        raise not_found("company")
    return found


def company_with_tree(session: Session, company_id: str) -> dict:
    """The company, the one it is an associate of, and every associate below it (depth first)."""
    found = company(session, company_id)
    parent = session.get(Company, found.parent_id) if found.parent_id else None
    associates, seen = [], {found.id}

    def walk(parent_id: str, depth: int) -> None:
        for child in session.scalars(select(Company).where(Company.parent_id == parent_id)
                                     .order_by(func.lower(Company.name), Company.number)):
            if child.id in seen:  # a cycle operators somehow made: shown once
                continue
            seen.add(child.id)
            associates.append({"company": child, "depth": depth})
            walk(child.id, depth + 1)

    walk(found.id, 1)
    users = session.scalar(select(func.count()).select_from(User).where(User.company_id == found.id))
    return {"company": found, "parent": parent, "associates": associates, "user_count": users}


def unlink_associate(session: Session, identity: Identity, company_id: str, associate_id: str) -> Company:
    """Take a direct associate out from under its company: it stands alone from then on."""
    parent = company(session, company_id)
    associate = session.get(Company, associate_id) if len(associate_id) <= 32 else None
    if associate is None or associate.parent_id != parent.id:
        raise not_found("associate")
    associate.parent_id = None
    outbox.add(session, "AssociateUnlinked", {"company_id": parent.id, "associate_id": associate.id})
    audit_trail.record(session, identity, "associate_unlinked", parent.id, associate.id, associate.name)
    audit_trail.record(session, identity, "unlinked_from", associate.id, parent.id, parent.name)
    session.commit()
    return associate


def company_users(session: Session, identity: Identity, company_id: str, query: dict) -> tuple[list[User], int]:
    """The company's users, found by name or address, status and function, by name."""
    company(session, company_id)
    conditions = directory.user_conditions(session, identity, query, {company_id})
    total = session.scalar(select(func.count()).select_from(User).where(*conditions))
    rows = session.scalars(select(User).where(*conditions).order_by(User.last_name, User.first_name, User.id)
                           .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"]))
    return list(rows), total


def _user_of(session: Session, company_id: str, user_id: str) -> User:
    company(session, company_id)
    user = session.get(User, user_id) if len(user_id) <= 32 else None
    if user is None or user.company_id != company_id:
        raise not_found("user")
    return user


def send_activation_mails(session: Session, settings: IdentitySettings, identity: Identity, company_id: str,
                          user_ids: list[str]) -> dict:
    """A new activation link for each not-yet-activated user of the selection (all of the company)."""
    users = [_user_of(session, company_id, user_id) for user_id in dict.fromkeys(user_ids)]
    sent, skipped = [], []
    for user in users:
        if user.email is None or user.activated_at is not None:
            skipped.append({"user_id": user.id, "reason": "no_email" if user.email is None else "already_active"})
            continue
        send_activation(session, settings, user)
        audit_trail.record(session, identity, "activation_mail_sent", company_id, user.id, user.email)
        sent.append(user.id)
    session.commit()
    return {"sent": sent, "skipped": skipped}


def unlock_user(session: Session, identity: Identity, company_id: str, user_id: str) -> User:
    """Lift the lock of an account after too many failed sign-ins."""
    user = _user_of(session, company_id, user_id)
    if not user.locked:
        raise PortalError(409, "not_locked", "This account is not locked.")
    user.locked_until, user.failed_sign_ins = None, 0
    audit_trail.record(session, identity, "user_unlocked", company_id, user.id, user.email or user.display_name,
                       was_locked=True)
    session.commit()
    return user


def trail(session: Session, company_id: str, query: dict) -> tuple[list[dict], int]:
    """The company's administration trail, newest first (actions of its administrators and of operators)."""
    company(session, company_id)
    conditions = [AdministrationAudit.company_id == company_id]
    if query.get("action"):
        conditions.append(AdministrationAudit.action == query["action"])
    return audit_trail.page_of(session, conditions, query)

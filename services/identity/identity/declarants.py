"""Use cases of declarant accounts (the Etafi declarative portal): issued by operators or by a
company's administrators, listed, read, revoked and reset; their entities; tying a portal user
who holds the role's service. Every action goes to the company's administration trail."""
from __future__ import annotations

import re
import secrets
from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.entitlements import DECLARATIVE_SERVICES, SUPERVISOR_SERVICE
from portalkit.errors import PortalError, not_found
from portalkit.signed_identity import Identity

from . import audit_trail, tokens
from .access import associates_below
from .declarant_models import Declarant, DeclarantToken, DeclarativeHolding
from .events import outbox, sessions_ended
from .models import Company, User
from .settings import IdentitySettings

# The service a portal user must hold (for the declarant's company) to be tied to each role.
ROLE_SERVICES = {"declarant": DECLARATIVE_SERVICES, "supervisor": SUPERVISOR_SERVICE}
LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}\Z")


def normalise_login(login: str) -> str:
    return (login or "").strip().lower()


def facts(declarant: Declarant) -> dict:
    """What the declarant events carry: enough to mail the holder without calling identity back."""
    return {"declarant_id": declarant.id, "login": declarant.login, "company_id": declarant.company_id,
            "company_name": declarant.company.name if declarant.company else "", "role": declarant.role,
            "email": declarant.email, "first_name": declarant.first_name, "last_name": declarant.last_name,
            "language": declarant.language, "user_id": declarant.user_id}


# The sign-in answer and ``me`` list this many at most: a group of 10,000 subsidiaries is paged by
# declarations' own lists (the supervision table), not carried in a session's answer.
LISTED_ENTITIES = 100


def entities(session: Session, declarant: Declarant, limit: int | None = LISTED_ENTITIES) -> list[Company]:
    """The declaring entities the account works on (the first ``limit`` by name): its company, and
    for a supervisor every associate below it; only companies with a SIREN declare."""
    ids = {declarant.company_id}
    if declarant.role == "supervisor":
        ids |= associates_below(session, {declarant.company_id})
    return list(session.scalars(select(Company).where(Company.id.in_(ids), Company.siren.is_not(None))
                                .order_by(Company.name, Company.id).limit(limit)))


def issue(session: Session, settings: IdentitySettings, identity: Identity, companies: set[str] | None,
          data: dict) -> Declarant:
    """Issue an account for a company with a SIREN (``companies``: those the caller may issue
    for, None for an operator); its holder is mailed the link that sets the password."""
    company_id = data.get("company_id") or identity.company_id
    company = session.get(Company, company_id) if company_id and len(company_id) <= 32 else None
    if company is None or (companies is not None and company.id not in companies):
        raise not_found("company")
    if not company.siren:
        raise PortalError(409, "siren_missing", "Only a company with a SIREN declares: set it first.",
                          {"company_id": ["the company has no SIREN"]})
    login = normalise_login(data["login"])
    if not LOGIN.match(login):
        raise PortalError(400, "invalid_input", "Some fields are invalid.", {"login": [
            "3 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit"]})
    if session.scalar(select(Declarant.id).where(Declarant.login == login)):
        raise PortalError(409, "login_taken", "Another declarant account has this login.", {"login": ["already used"]})
    user_id = data.get("user_id")
    if user_id:
        _check_tie(session, company.id, data["role"], user_id)
    declarant = Declarant(login=login, company_id=company.id, role=data["role"], user_id=user_id or None,
                          email=data["email"].strip().lower(), first_name=data.get("first_name", ""),
                          last_name=data.get("last_name", ""), language=data.get("language") or "en",
                          issued_by=identity.user_id or "")
    declarant.company = company
    session.add(declarant)
    session.flush()
    token, expires_at = _password_link(session, declarant, timedelta(days=settings.activation_days))
    outbox.add(session, "DeclarantIssued", {**facts(declarant), "password_token": token, "expires_at": expires_at})
    audit_trail.record(session, identity, "declarant_issued", company.id, declarant.id, declarant.login,
                       role=declarant.role, user_id=declarant.user_id)
    try:
        session.commit()
    except IntegrityError:  # a concurrent issue took the login since the check
        session.rollback()
        raise PortalError(409, "login_taken", "Another declarant account has this login.", {"login": ["already used"]})
    return declarant


def _check_tie(session: Session, company_id: str, role: str, user_id: str) -> None:
    """Only a user of the company holding the role's service for it may be tied to the account."""
    user = session.get(User, user_id) if len(user_id) <= 32 else None
    if user is None or user.company_id != company_id:
        raise not_found("user")  # absent, or another company's: the same answer
    held = session.scalar(select(DeclarativeHolding.subscription_id).where(
        DeclarativeHolding.user_id == user_id, DeclarativeHolding.service_code == ROLE_SERVICES[role],
        DeclarativeHolding.company_id == company_id, DeclarativeHolding.granted_at.is_not(None),
        DeclarativeHolding.ended_at.is_(None)).limit(1))
    if held is None:
        raise PortalError(409, "service_not_held", "This user does not hold the service a "
                          f"{role} account needs.", {"user_id": [f"does not hold {ROLE_SERVICES[role]}"]})


def _password_link(session: Session, declarant: Declarant, lifetime: timedelta):
    """A new single-use link setting the password; earlier unused ones stop working."""
    now = utcnow()
    session.execute(update(DeclarantToken).where(DeclarantToken.declarant_id == declarant.id,
                                                 DeclarantToken.used_at.is_(None)).values(used_at=now))
    token = secrets.token_urlsafe(32)  # 256 bits
    session.add(DeclarantToken(declarant_id=declarant.id, token_hash=tokens.digest(token), created_at=now,
                               expires_at=now + lifetime))
    return token, now + lifetime


def listed(session: Session, companies: set[str] | None, query: dict) -> tuple[list[Declarant], int]:
    """The accounts of ``companies`` (every company for None), found by login, name or e-mail."""
    conditions = []
    if companies is not None:
        conditions.append(Declarant.company_id.in_(companies))
    if query.get("company_id"):
        conditions.append(Declarant.company_id == query["company_id"])
    if query.get("role"):
        conditions.append(Declarant.role == query["role"])
    status = query.get("status")
    now = utcnow()
    if status == "revoked":
        conditions.append(Declarant.revoked_at.is_not(None))
    elif status == "locked":
        conditions += [Declarant.revoked_at.is_(None), Declarant.locked_until > now]
    elif status == "active":
        conditions += [Declarant.revoked_at.is_(None),
                       or_(Declarant.locked_until.is_(None), Declarant.locked_until <= now)]
    for word in (query.get("q") or "").lower().split()[:5]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(*(func.lower(column).like(pattern, escape="\\") for column in
                                (Declarant.login, Declarant.first_name, Declarant.last_name, Declarant.email))))
    total = session.scalar(select(func.count()).select_from(Declarant).where(*conditions))
    rows = session.scalars(select(Declarant).where(*conditions)
                           .order_by(Declarant.revoked_at.is_not(None), Declarant.login)
                           .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"]))
    return list(rows), total


def one(session: Session, companies: set[str] | None, declarant_id: str) -> Declarant:
    """An account of ``companies``; 404 for any other, whoever asks."""
    declarant = session.get(Declarant, declarant_id) if len(declarant_id) <= 32 else None
    if declarant is None or (companies is not None and declarant.company_id not in companies):
        raise not_found("declarant")
    return declarant


def revoke(session: Session, identity: Identity, companies: set[str] | None, declarant_id: str) -> Declarant:
    """Revoke an account: no more sign-in, and its sessions end before the answer (the gateway
    waits for SessionsEnded)."""
    declarant = one(session, companies, declarant_id)
    if declarant.revoked_at is not None:
        raise PortalError(409, "declarant_revoked", "This declarant account is revoked already.")
    declarant.revoked_at = utcnow()
    session.execute(update(DeclarantToken).where(DeclarantToken.declarant_id == declarant.id,
                                                 DeclarantToken.used_at.is_(None)).values(used_at=utcnow()))
    outbox.add(session, "DeclarantRevoked", facts(declarant))
    sessions_ended(session, declarant)
    audit_trail.record(session, identity, "declarant_revoked", declarant.company_id, declarant.id, declarant.login)
    session.commit()
    return declarant


def reset(session: Session, settings: IdentitySettings, identity: Identity, companies: set[str] | None,
          declarant_id: str) -> Declarant:
    """Mail the holder a new password link (the current password works until it is used)."""
    declarant = one(session, companies, declarant_id)
    if declarant.revoked_at is not None:
        raise PortalError(409, "declarant_revoked", "This declarant account is revoked.")
    send_reset(session, settings, declarant)
    audit_trail.record(session, identity, "declarant_reset", declarant.company_id, declarant.id, declarant.login)
    session.commit()
    return declarant


def send_reset(session: Session, settings: IdentitySettings, declarant: Declarant) -> None:
    token, expires_at = _password_link(session, declarant, timedelta(minutes=settings.reset_token_minutes))
    outbox.add(session, "DeclarantPasswordResetRequested",
               {**facts(declarant), "password_token": token, "expires_at": expires_at})

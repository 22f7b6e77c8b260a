"""The declarative portal's own sign-in: a declarant's login and password checked for the gateway
(lockout and argon2id as for portal accounts: the same settings, the strong level's limit), the
password links (set at issue, reset), the "forgotten password" mail, and the sign-in history."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portalkit.db import Database, utcnow
from portalkit.errors import PortalError
from portalkit.signed_identity import Identity

from . import tokens
from .declarant_models import DECLARANT_LEVEL, Declarant, DeclarantToken, DeclarativeSignInAudit
from .declarants import normalise_login, send_reset
from .events import sessions_ended
from .password_policy import broken_rules
from .passwords import hash_password, spend_hashing_time, verify_password
from .settings import IdentitySettings

DECLARATIVE_SCOPE = "declarative"


def check_credentials(database: Database, settings: IdentitySettings, login: str, password: str,
                      ip_address: str, user_agent: str) -> Declarant:
    """The account these credentials open, or the refusal (401, 423); every attempt on an
    account is audited. The hash is verified outside the transaction, as for portal sign-ins."""
    with database.read_sessions() as reading:
        found = reading.execute(select(Declarant.id, Declarant.password_hash)
                                .where(Declarant.login == normalise_login(login))).first()
        declarant_id, password_hash = (found.id, found.password_hash) if found else (None, None)
    matches = verify_password(password_hash, password)  # unknown logins cost the same time
    if declarant_id is None:
        raise _invalid()
    with database.sessions() as session:
        # Under a row lock: concurrent failures each count, none overwrites another.
        declarant = session.scalar(select(Declarant).where(Declarant.id == declarant_id).with_for_update(of=Declarant))
        if declarant is None:
            raise _invalid()
        if declarant.revoked_at is not None or declarant.password_hash != password_hash or password_hash is None:
            _audit(session, declarant, False, "revoked" if declarant.revoked_at else "bad_password",
                   ip_address, user_agent)
            session.commit()
            raise _invalid()
        if declarant.locked:
            _audit(session, declarant, False, "locked", ip_address, user_agent)
            session.commit()
            raise locked()
        if not matches:
            declarant.failed_sign_ins += 1
            reason = "bad_password"
            if declarant.failed_sign_ins >= settings.lockout_threshold(DECLARANT_LEVEL):
                declarant.locked_until = utcnow() + timedelta(minutes=settings.lockout_minutes)
                declarant.failed_sign_ins, reason = 0, "lockout"
            _audit(session, declarant, False, reason, ip_address, user_agent)
            session.commit()
            raise _invalid()  # the lock answers from the next attempt on
        declarant.failed_sign_ins, declarant.locked_until, declarant.last_sign_in_at = 0, None, utcnow()
        _audit(session, declarant, True, "", ip_address, user_agent)
        session.commit()
        return declarant


def history(session: Session, identity: Identity, page: int, per_page: int):
    """The declarant's own sign-ins, failures included, newest first."""
    condition = DeclarativeSignInAudit.declarant_id == identity.user_id
    total = session.scalar(select(func.count()).select_from(DeclarativeSignInAudit).where(condition))
    rows = session.scalars(select(DeclarativeSignInAudit).where(condition)
                           .order_by(DeclarativeSignInAudit.occurred_at.desc(), DeclarativeSignInAudit.id.desc())
                           .offset((page - 1) * per_page).limit(per_page))
    return list(rows), total


def link_holder(session: Session, token: str) -> Declarant:
    """The account a valid password link sets; 410 if it is unknown, used or expired."""
    if not token or len(token) > 200:
        raise tokens.gone()
    record = session.scalar(select(DeclarantToken).where(DeclarantToken.token_hash == tokens.digest(token)))
    if record is None or record.used_at is not None or record.expires_at <= utcnow():
        raise tokens.gone()
    declarant = session.get(Declarant, record.declarant_id)
    if declarant is None or declarant.revoked_at is not None:
        raise tokens.gone()
    return declarant


def set_password(session: Session, token: str, password: str) -> Declarant:
    """Set the password with a link (the strong level's rules); the lock lifts, sessions end."""
    declarant = link_holder(session, token)
    previous = (declarant.password_hash,) if declarant.password_hash else ()
    broken = broken_rules(password, DECLARANT_LEVEL, declarant.email,
                          tuple(n for n in (declarant.first_name, declarant.last_name, declarant.login) if n), previous)
    if broken:
        raise PortalError(400, "password_rules", "The password does not meet the rules.", {"password": broken})
    claimed = session.execute(DeclarantToken.__table__.update()
                              .where(DeclarantToken.token_hash == tokens.digest(token),
                                     DeclarantToken.used_at.is_(None)).values(used_at=utcnow()))
    if claimed.rowcount != 1:  # of two concurrent uses only one succeeds
        raise tokens.gone()
    declarant.password_hash, declarant.password_changed_at = hash_password(password), utcnow()
    declarant.failed_sign_ins, declarant.locked_until = 0, None
    sessions_ended(session, declarant)
    session.commit()
    return declarant


def request_reset(session: Session, settings: IdentitySettings, login: str) -> None:
    """Mail a new password link to an active account's holder; the answer says nothing either
    way and costs one hash both ways."""
    spend_hashing_time()
    declarant = session.scalar(select(Declarant).where(Declarant.login == normalise_login(login))
                               .with_for_update(of=Declarant))
    if declarant is None or declarant.revoked_at is not None:
        return
    lately = session.scalar(select(DeclarantToken.id).where(
        DeclarantToken.declarant_id == declarant.id,
        DeclarantToken.created_at > utcnow() - timedelta(seconds=settings.reset_interval_seconds)).limit(1))
    if lately:
        return  # one mail a minute at most, as for portal accounts
    send_reset(session, settings, declarant)
    session.commit()


def locked() -> PortalError:
    return PortalError(423, "account_locked", "This account is locked for a while after too many failed sign-ins.")


def _audit(session, declarant, succeeded, reason, ip_address, user_agent) -> None:
    session.add(DeclarativeSignInAudit(declarant_id=declarant.id, succeeded=succeeded, reason=reason,
                                       ip_address=ip_address[:64], user_agent=user_agent[:300]))


def _invalid() -> PortalError:
    return PortalError(401, "invalid_credentials", "Wrong login or password.")

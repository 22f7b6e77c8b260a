"""Use cases of signing in: the credentials check the gateway asks for, lockout after the
level's limit of failures in a row, password expiry, and one's sign-in history."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from portalkit.db import Database, utcnow
from portalkit.errors import PortalError
from portalkit.signed_identity import Identity

from .accounts import normalise_email
from .events import VENDOR, outbox, recipient
from .lockout_alerts import administrators_to_alert
from .models import SignInAudit, User, new_id
from .passwords import verify_password
from .settings import IdentitySettings


# Built once: a statement object memoizes its cache key, so each sign-in skips building it again.
_USER_BY_EMAIL = select(User).where(User.email == bindparam("email"))
_users = User.__table__
_RECORD_SIGN_IN = (
    update(_users)
    .where(_users.c.id == bindparam("user"), _users.c.password_hash == bindparam("hash"),
           or_(_users.c.locked_until.is_(None), _users.c.locked_until <= bindparam("now")))
    .values(failed_sign_ins=0, locked_until=None, last_sign_in_at=bindparam("signed_in_at"),
            previous_sign_in_at=_users.c.last_sign_in_at))
_AUDIT = insert(SignInAudit.__table__)


def check_credentials(database: Database, settings: IdentitySettings, email: str, password: str,
                      ip_address: str, user_agent: str) -> User:
    """The user these credentials open, or the refusal; every attempt on an account is audited.

    The hash is verified outside any transaction: it takes ~20 ms, and holding a transaction
    (on SQLite, the write lock) meanwhile would make every sign-in wait for the others. It is
    also nearly all a sign-in may cost, so the usual case — the right password of an account
    that is not locked — is recorded by one conditional UPDATE and the audit's INSERT, without
    the unit of work; any other case is decided under a row lock.
    """
    with database.read_sessions() as reading:
        user = reading.scalar(_USER_BY_EMAIL, {"email": normalise_email(email)})
    # Closed, not rolled back: the detached user keeps what was read, company included.
    # A disabled operator is refused like an unknown address: the answer says nothing more.
    if user is None or user.password_hash is None or user.disabled_at is not None:
        verify_password(None, password)  # same time as a real check: addresses don't leak
        raise _invalid()
    matches = verify_password(user.password_hash, password)
    if matches and _record_sign_in(database, user, ip_address, user_agent):
        return user
    with database.sessions() as session:
        return _check_under_lock(session, settings, user.id, user.password_hash, matches,
                                 ip_address, user_agent)


def _record_sign_in(database: Database, user: User, ip_address: str, user_agent: str) -> bool:
    """Record a good sign-in if the account is as read (same password) and not locked."""
    now = utcnow()
    with database.engine.begin() as connection:
        recorded = connection.execute(_RECORD_SIGN_IN, {"user": user.id, "hash": user.password_hash, "now": now,
                                                        "signed_in_at": now}).rowcount == 1
        if recorded:
            connection.execute(_AUDIT, _audit_row(user.id, True, "", ip_address, user_agent, now))
    if recorded:  # the answer tells what the row now says
        user.failed_sign_ins, user.locked_until = 0, None
        user.previous_sign_in_at, user.last_sign_in_at = user.last_sign_in_at, now
    return recorded


def _check_under_lock(session: Session, settings: IdentitySettings, user_id: str, password_hash: str,
                      matches: bool, ip_address: str, user_agent: str) -> User:
    # Re-read under a row lock: concurrent failures each count, none overwrites another.
    user = session.scalar(select(User).where(User.id == user_id).with_for_update(of=User))
    now = utcnow()
    if user is None or user.password_hash != password_hash:
        session.rollback()
        raise _invalid()  # deleted or given a new password meanwhile
    if user.locked:
        _audit(session, user, False, "locked", ip_address, user_agent)
        session.commit()
        raise locked()
    if not matches:
        count_failure(session, settings, user, ip_address, user_agent)
        session.commit()
        raise _invalid()  # the lock answers from the next attempt on
    user.failed_sign_ins, user.locked_until = 0, None
    user.previous_sign_in_at, user.last_sign_in_at = user.last_sign_in_at, now
    _audit(session, user, True, "", ip_address, user_agent)
    session.commit()
    return user


def count_failure(session: Session, settings: IdentitySettings, user: User, ip_address: str,
                  user_agent: str) -> None:
    """Audit a wrong password given for ``user`` (row-locked by the caller) and lock the account
    at the level's limit of failures in a row, whether it was given to sign in or to change it."""
    now = utcnow()
    user.failed_sign_ins += 1
    reason = "bad_password"
    if user.failed_sign_ins >= settings.lockout_threshold(user.security_level):
        user.locked_until, user.failed_sign_ins = now + timedelta(minutes=settings.lockout_minutes), 0
        reason = "lockout"
        administrators, locked_accounts = administrators_to_alert(session, settings, user, now)
        outbox.add(session, "UserLocked", {**recipient(user), "company_id": user.company_id or VENDOR,
                                           "locked_until": user.locked_until,
                                           "security_level": user.security_level,
                                           "administrators": administrators,
                                           "company_locked_accounts": locked_accounts,
                                           "alert_minutes": settings.lockout_alert_minutes})
    _audit(session, user, False, reason, ip_address, user_agent)


def locked() -> PortalError:
    return PortalError(423, "account_locked", "This account is locked for a while after too many failed sign-ins.")


def password_expired(settings: IdentitySettings, user: User) -> bool:
    """Whether the user must set a new password before anything else."""
    if user.password_renewal_required:
        return True
    if user.security_level < 2 or user.password_changed_at is None:
        return False
    return utcnow() - user.password_changed_at > timedelta(days=settings.password_max_age_days)


def history(session: Session, identity: Identity, page: int, per_page: int) -> tuple[list[SignInAudit], int]:
    """One's own sign-ins, failures included, newest first."""
    condition = SignInAudit.user_id == identity.user_id
    total = session.scalar(select(func.count()).select_from(SignInAudit).where(condition))
    rows = session.scalars(select(SignInAudit).where(condition)
                           .order_by(SignInAudit.occurred_at.desc(), SignInAudit.id.desc())
                           .offset((page - 1) * per_page).limit(per_page))
    return list(rows), total


def _audit(session, user, succeeded, reason, ip_address, user_agent) -> None:
    session.add(SignInAudit(**_audit_row(user.id, succeeded, reason, ip_address, user_agent, utcnow())))


def _audit_row(user_id, succeeded, reason, ip_address, user_agent, now) -> dict:
    return {"id": new_id(), "user_id": user_id, "succeeded": succeeded, "reason": reason,
            "ip_address": ip_address[:64], "user_agent": user_agent[:300], "occurred_at": now}


def _invalid() -> PortalError:
    return PortalError(401, "invalid_credentials", "Wrong e-mail address or password.")


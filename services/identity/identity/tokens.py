"""One-time links (activation, password reset, e-mail change): random, hashed at rest, single use."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.errors import PortalError

from .models import OneTimeToken, User, new_id


def digest(token: str) -> str:
    """What is kept of a link's token: its SHA-256 (declarant links keep the same)."""
    return hashlib.sha256(token.encode()).hexdigest()


_digest = digest


def issue(session: Session, user: User, purpose: str, lifetime: timedelta,
          new_email: str | None = None, first: bool = False) -> tuple[str, OneTimeToken]:
    """Issue a new token for ``purpose``; any earlier unused one of the same purpose stops working.

    ``first``: the user was created in this transaction and has no token yet (imports skip the
    query that would void the earlier ones).
    """
    now = utcnow()
    if not first:
        session.execute(update(OneTimeToken)
                        .where(OneTimeToken.user_id == user.id, OneTimeToken.purpose == purpose,
                               OneTimeToken.used_at.is_(None))
                        .values(used_at=now))
    token = secrets.token_urlsafe(32)  # 256 bits
    record = OneTimeToken(purpose=purpose, user_id=user.id, token_hash=_digest(token),
                          new_email=new_email, created_at=now, expires_at=now + lifetime)
    session.add(record)
    return token, record


def issue_many(session: Session, user_ids: list[str], purpose: str, lifetime: timedelta) -> dict[str, tuple]:
    """First tokens of users created in this transaction, inserted in one batch: {user_id: (token, expires_at)}."""
    now, issued, rows = utcnow(), {}, []
    for user_id in user_ids:
        token = secrets.token_urlsafe(32)
        issued[user_id] = (token, now + lifetime)
        rows.append({"id": new_id(), "purpose": purpose, "user_id": user_id, "token_hash": _digest(token),
                     "created_at": now, "expires_at": now + lifetime})
    if rows:
        session.execute(insert(OneTimeToken), rows)
    return issued


def find_usable(session: Session, token: str, purpose: str) -> OneTimeToken:
    """The token's record, or 410 if it is unknown, used or expired."""
    if not token or len(token) > 200:
        raise _gone()
    record = session.scalar(select(OneTimeToken).where(OneTimeToken.token_hash == _digest(token),
                                                       OneTimeToken.purpose == purpose))
    if record is None or record.used_at is not None or record.expires_at <= utcnow():
        raise _gone()
    return record


def consume(session: Session, token: str, purpose: str) -> OneTimeToken:
    """Mark the token used, atomically: of two concurrent uses only one succeeds."""
    record = find_usable(session, token, purpose)
    claimed = session.execute(update(OneTimeToken)
                              .where(OneTimeToken.id == record.id, OneTimeToken.used_at.is_(None))
                              .values(used_at=utcnow()))
    if claimed.rowcount != 1:
        raise _gone()
    return record


def gone() -> PortalError:
    return _gone()


def _gone() -> PortalError:
    return PortalError(410, "token_invalid", "This link has already been used or has expired.")

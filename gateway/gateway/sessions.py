"""The gateway's sessions: opened at sign-in, resolved on every request, ended at sign-out.

Every request reads its session row (one indexed lookup), so a sign-out or a revoked right
takes effect on the next request whichever gateway process serves it. What a process derives
from the row (the user with their entitlements) is kept per session and ``revision``: the
event handlers bump the revision whenever a session's grants change.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, or_, update
from sqlalchemy.orm import Session

from portalkit.db import Database, utcnow

from .models import UserSession, new_id
from .session_reads import SessionReader
from .settings import GatewaySettings

TOUCH_EVERY = timedelta(minutes=1)
# A session that may only change an expired password is short-lived whatever the settings say.
PASSWORD_CHANGE_LIFETIME = timedelta(minutes=30)
# The Etafi declarative portal's sessions: their own sign-in, their own routes.
DECLARATIVE_SCOPE = "declarative"
MAX_TOKEN_LENGTH = 128
_DERIVED_LIMIT = 20_000
# Built once: a statement object memoizes its cache key, and every sign-in runs this one.
_OPEN = insert(UserSession.__table__)

@dataclass(frozen=True)
class CurrentUser:
    """Who a valid session belongs to, and what they hold (``"<code>@<company_id>"``)."""

    session_id: str
    user_id: str
    company_id: str | None
    operator: bool
    language: str
    display_name: str
    company_name: str
    scope: str
    entitlements: frozenset[str]
    # A declarative session's: the declarant's role and the companies it declares for.
    declarant_role: str | None = None
    entities: frozenset[str] = frozenset()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionStore:
    """Sessions in the gateway's database, with a per-process memo of what each one grants."""

    def __init__(self, database: Database, idle: timedelta, lifetime: timedelta):
        self.database, self.idle, self.lifetime = database, idle, lifetime
        self.reader = SessionReader(database)
        self._derived: dict[str, tuple[int, CurrentUser]] = {}

    @classmethod
    def from_settings(cls, database: Database, settings: GatewaySettings) -> "SessionStore":
        return cls(database, timedelta(minutes=settings.session_idle_minutes),
                   timedelta(hours=settings.session_lifetime_hours))

    def open(self, user_id: str, company_id: str | None, operator: bool, language: str,
             display_name: str, company_name: str, scope: str = "full", declarant_role: str = "",
             entities: tuple[str, ...] = ()) -> tuple[str, datetime]:
        """Open a session; return its token (shown once, kept only hashed) and absolute expiry.

        A password-change session is short-lived; a declarative one (``scope="declarative"``)
        lives like a portal session but opens only the declarative routes (``proxy``)."""
        token = secrets.token_urlsafe(32)  # 256 random bits
        now = utcnow()
        lifetime = min(self.lifetime, PASSWORD_CHANGE_LIFETIME) if scope == "password_change" else self.lifetime
        expires_at = now + lifetime
        # One INSERT on a plain connection: every sign-in pays for this, the unit of work would
        # double its cost.
        with self.database.engine.begin() as connection:
            connection.execute(_OPEN, {
                "id": new_id(), "token_hash": token_digest(token), "user_id": user_id,
                "company_id": company_id, "operator": operator, "language": language,
                "display_name": display_name, "company_name": company_name, "scope": scope,
                "declarant_role": declarant_role, "entity_ids": " ".join(entities), "revision": 0, "created_at": now, "last_seen_at": now, "expires_at": expires_at})
        return token, expires_at

    def resolve(self, token: str | None) -> CurrentUser | None:
        """The user of a live session, or None if the token is unknown, ended, idle or expired."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        row = self.reader.session_row(token_digest(token))
        if row is None or row.ended_at is not None:
            return None
        now = utcnow()
        if row.expires_at <= now or row.last_seen_at + self.idle <= now:
            return None
        if now - row.last_seen_at >= TOUCH_EVERY:
            self._touch(row.id, now)
        derived = self._derived.get(row.id)
        if derived is not None and derived[0] == row.revision:
            return derived[1]
        # Read after the revision: a grant committed in between bumps it again, so a stale set
        # can only be remembered under a revision that is already outdated.
        user = CurrentUser(session_id=row.id, user_id=row.user_id, company_id=row.company_id,
                           operator=row.operator, language=row.language,
                           display_name=row.display_name, company_name=row.company_name,
                           scope=row.scope, entitlements=self._entitlements(row),
                           declarant_role=row.declarant_role or None, entities=frozenset(row.entity_ids.split()))
        if len(self._derived) >= _DERIVED_LIMIT:
            self._derived.clear()
        self._derived[row.id] = (row.revision, user)
        return user

    def _entitlements(self, row) -> frozenset[str]:
        # A declarant account holds no catalog service: its rights are its role and entities.
        return frozenset() if row.scope == DECLARATIVE_SCOPE else self.reader.entitlements_of(row.user_id)

    def end(self, token: str | None) -> bool:
        """End the token's session at once; False if it was not a live session."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return False
        with self.database.transaction() as session:
            ended = session.execute(update(UserSession)
                                    .where(UserSession.token_hash == token_digest(token),
                                           UserSession.ended_at.is_(None))
                                    .values(ended_at=utcnow()))
        return ended.rowcount == 1

    def end_user_sessions(self, user_id: str, except_session_id: str | None = None) -> int:
        with self.database.transaction() as session:
            return end_sessions_of(session, user_id, except_session_id)

    def _touch(self, session_id: str, now: datetime) -> None:
        with self.database.transaction() as session:
            session.execute(update(UserSession)
                            .where(UserSession.id == session_id,
                                   UserSession.last_seen_at < now - TOUCH_EVERY)
                            .values(last_seen_at=now))


def end_sessions_of(session: Session, user_id: str, except_session_id: str | None = None) -> int:
    """End a user's open sessions (but one) inside the caller's transaction."""
    query = update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
    if except_session_id:
        query = query.where(UserSession.id != except_session_id)
    return session.execute(query.values(ended_at=utcnow())).rowcount


def bump_revision(session: Session, user_id: str, **changes) -> None:
    """Tell every gateway process that the user's open sessions now grant something else."""
    session.execute(update(UserSession)
                    .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
                    .values(revision=UserSession.revision + 1, **changes))


def purge(session: Session, older_than: timedelta) -> int:
    """Delete sessions that ended or expired more than ``older_than`` ago."""
    limit = utcnow() - older_than
    return session.execute(delete(UserSession).where(
        or_(UserSession.ended_at < limit, UserSession.expires_at < limit))).rowcount

"""Secret feed links: a user's own address of a feed that calendar apps read without signing in.

One live link per user and ``purpose`` (``release_calendar``, ``planning``; a new feed is one more
line of ``PURPOSES``). The secret is shown once, when the link is made or renewed; only its
SHA-256 is kept, so a leaked database gives no working link, and renewing replaces the hash: the
old link answers 404 from then on. The gateway serves the feed (``/feeds/<purpose>/<secret>.ics``):
it resolves the secret here (``resolve``, on an internal route no client reaches), then calls the
feed's own route as that user, with the rights the user holds at that moment — so the feed shows
exactly what the user may see, and nothing once they may see nothing.
"""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.entitlements import DOWNLOAD_UPDATES
from portalkit.errors import forbidden, not_found
from portalkit.signed_identity import Identity

from .models import FeedLink

# Each feed and the service a user must hold to get its link (None: any user of a company).
PURPOSES: dict[str, str | None] = {"release_calendar": DOWNLOAD_UPDATES, "planning": None}
SECRET_BYTES = 32  # 256 random bits
MAX_SECRET_LENGTH = 128


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _purpose(purpose: str) -> str:
    if purpose not in PURPOSES:
        raise not_found("feed")
    return purpose


def _allowed(identity: Identity, purpose: str) -> None:
    if identity.company_id is None:
        raise forbidden("Only the users of a client company have feed links.", "not_a_company_user")
    service = PURPOSES[purpose]
    if service is not None and not identity.companies_with(service):
        raise forbidden("Your subscriptions do not include this service.")


def current(session: Session, identity: Identity, purpose: str) -> FeedLink:
    """The caller's live link of ``purpose`` (404 when they have none): when it was made, never its secret."""
    _allowed(identity, _purpose(purpose))
    link = _of(session, identity.user_id, purpose)
    if link is None:
        raise not_found("feed link")
    return link


def renew(session: Session, identity: Identity, purpose: str) -> tuple[FeedLink, str]:
    """Make the caller's link of ``purpose``, or replace it (the old one stops at once): the link and its secret."""
    _allowed(identity, _purpose(purpose))
    secret = secrets.token_urlsafe(SECRET_BYTES)
    link = _of(session, identity.user_id, purpose)
    if link is None:
        link = FeedLink(user_id=identity.user_id, purpose=purpose)
        session.add(link)
    link.company_id, link.language = identity.company_id, identity.language or "en"
    link.secret_hash, link.created_at, link.last_read_at = digest(secret), utcnow(), None
    session.commit()
    return link, secret


def revoke(session: Session, identity: Identity, purpose: str) -> None:
    """Delete the caller's link of ``purpose``: it answers 404 from then on."""
    link = _of(session, identity.user_id, _purpose(purpose))
    if link is None:
        raise not_found("feed link")
    session.delete(link)
    session.commit()


def resolve(session: Session, purpose: str, secret: str) -> FeedLink:
    """The link a secret opens (404 for any other: unknown, renewed, revoked, or of another purpose)."""
    if not isinstance(secret, str) or not secret or len(secret) > MAX_SECRET_LENGTH or purpose not in PURPOSES:
        raise not_found("feed")
    link = session.scalar(select(FeedLink).where(FeedLink.secret_hash == digest(secret)))
    if link is None or link.purpose != purpose:
        raise not_found("feed")
    link.last_read_at = utcnow()
    session.commit()
    return link


def _of(session: Session, user_id: str, purpose: str) -> FeedLink | None:
    return session.scalar(select(FeedLink).where(FeedLink.user_id == user_id, FeedLink.purpose == purpose))

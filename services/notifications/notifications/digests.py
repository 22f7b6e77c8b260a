"""The daily digest: once the day's digest hour has come (``PORTAL_NOTIFICATIONS_DIGEST_HOUR`` in
``PORTAL_MAIL_TIMEZONE``, UTC by default — one zone for the installation: the events carry no
company's zone), each user who chose one mail a day gets one digest listing the items recorded
for them before that hour and not told yet; the sender loop sends it like any other mail.

The job runs every minute and is safe to run again: one digest per (user, day) (a unique
constraint), and a delivery is gathered into one digest only (its state leaves ``pending``).
Items that come after the hour wait for the next day's digest.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portalkit.db import Database, utcnow

from .fanout import DAILY_DIGEST, _insert
from .models import ContentDelivery, ContentDigest

log = logging.getLogger(__name__)


def last_cut(now: datetime, hour: int, zone: str) -> tuple[date, datetime]:
    """The latest digest time at or before ``now``: its local day, and the moment in UTC."""
    local = now.astimezone(ZoneInfo(zone))
    cut = datetime.combine(local.date(), time(hour), tzinfo=ZoneInfo(zone))
    if cut > local:
        cut = datetime.combine(local.date() - timedelta(days=1), time(hour), tzinfo=ZoneInfo(zone))
    return cut.date(), cut.astimezone(timezone.utc)


def make_digests(database: Database, hour: int, zone: str = "UTC", now: datetime | None = None,
                 users_per_batch: int = 500) -> int:
    """Gather the due deliveries of digest users into their digest of the last cut; the number of
    digests made."""
    day, cut = last_cut(now or utcnow(), hour, zone)
    made, after = 0, ""
    while True:
        with database.transaction() as session:
            users = list(session.scalars(
                select(ContentDelivery.user_id).distinct()
                .where(ContentDelivery.state == "pending", ContentDelivery.mode == DAILY_DIGEST,
                       ContentDelivery.created_at < cut, ContentDelivery.user_id > after)
                .order_by(ContentDelivery.user_id).limit(users_per_batch)))
            for user_id in users:
                made += _gather(session, user_id, day, cut)
        if len(users) < users_per_batch:
            break
        after = users[-1]
    if made:
        log.info("%d daily digests of %s made", made, day)
    return made


def _gather(session: Session, user_id: str, day: date, cut: datetime) -> int:
    latest = session.scalar(select(ContentDelivery).where(
        ContentDelivery.user_id == user_id, ContentDelivery.state == "pending",
        ContentDelivery.mode == DAILY_DIGEST, ContentDelivery.created_at < cut)
        .order_by(ContentDelivery.created_at.desc(), ContentDelivery.id.desc()).limit(1))
    if latest is None:
        return 0
    statement = _insert(session)(ContentDigest).values(
        user_id=user_id, day=day, email=latest.email, name=latest.name, first_name=latest.first_name,
        language=latest.language, state="pending", attempts=0, next_attempt_at=utcnow(), created_at=utcnow())
    session.execute(statement.on_conflict_do_nothing(index_elements=["user_id", "day"]))
    # Locked: a lane claiming it meanwhile (PostgreSQL) is waited for, then seen as no longer pending.
    digest = session.scalar(select(ContentDigest).where(ContentDigest.user_id == user_id, ContentDigest.day == day)
                            .with_for_update())
    if digest.state != "pending":
        return 0  # today's digest is already on its way: these items go in tomorrow's
    session.execute(update(ContentDelivery).where(
        ContentDelivery.user_id == user_id, ContentDelivery.state == "pending",
        ContentDelivery.mode == DAILY_DIGEST, ContentDelivery.created_at < cut)
        .values(state="digested", digest_id=digest.id))
    return 1

"""The catalog worker's scheduled job: subscriptions end on their expiry date, and their holders
and the company's administrators are told some days before, with a one-click renewal request.
The reminder is the event ``SubscriptionExpiring``; notifications turns it into the mails.
"""
from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit.db import Database, utcnow
from portalkit.jobs import PeriodicJob, every

from . import clock
from .directory import administrators_of, recipient_of
from .endings import EXPIRY_DATE, end
from .events import tell
from .models import ACCEPTED, Service, Subscription, status_is
from .settings import CatalogSettings

log = logging.getLogger(__name__)
REMINDER_EVENT = "SubscriptionExpiring"


def _due(session: Session, *conditions, batch: int):
    query = (select(Subscription, Service).join(Service, Service.id == Subscription.service_id)
             .where(status_is(ACCEPTED), Subscription.expires_on.is_not(None), *conditions)
             .order_by(Subscription.expires_on, Subscription.id).limit(batch))
    if session.get_bind().dialect.name == "postgresql":
        # Scaled workers share the work without ending or reminding anything twice.
        query = query.with_for_update(skip_locked=True, of=Subscription)
    return session.execute(query).all()


def expire_due(session: Session, day: date, batch: int = 500) -> int:
    """End (``SubscriptionExpired``) one batch of the subscriptions whose date has come."""
    rows = _due(session, Subscription.expires_on <= day, batch=batch)
    for subscription, service in rows:
        end(session, subscription, service, EXPIRY_DATE)
    return len(rows)


def remind_due(session: Session, day: date, reminder_days: int, batch: int = 500) -> int:
    """Tell one batch of holders (and their company's administrators) that the end is near."""
    rows = _due(session, Subscription.expires_on > day,
                Subscription.expires_on <= day + timedelta(days=reminder_days),
                Subscription.reminded_at.is_(None), Subscription.renewal_requested_at.is_(None), batch=batch)
    for subscription, service in rows:
        administrators = administrators_of(session, subscription.company_id)
        tell(session, REMINDER_EVENT, subscription, service, recipient_of(session, subscription.user_id),
             administrators=[administrator.recipient() for administrator in administrators],
             days_left=(subscription.expires_on - day).days)
        subscription.reminded_at = utcnow()
    return len(rows)


def run_once(database: Database, settings: CatalogSettings) -> dict:
    """Expire, then remind, batch by batch (one transaction each) until nothing is due."""
    day, done = clock.today(), {"expired": 0, "reminded": 0}
    for name, step in (("expired", lambda s: expire_due(s, day, settings.expiry_batch)),
                       ("reminded", lambda s: remind_due(s, day, settings.reminder_days, settings.expiry_batch))):
        while True:
            with database.transaction() as session:
                count = step(session)
            done[name] += count
            if count < settings.expiry_batch:
                break
    return done


def expiry_job(database: Database, settings: CatalogSettings) -> PeriodicJob:
    """The worker's periodic job: ``run_once`` every ``expiry_interval`` seconds, its work logged."""
    def run() -> None:
        done = run_once(database, settings)
        if any(done.values()):
            log.info("expiry job: %(expired)d expired, %(reminded)d reminded", done)
    return every(settings.expiry_interval, run, "expiry job")

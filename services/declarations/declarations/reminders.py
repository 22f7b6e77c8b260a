"""The deadlines' reminders: for each entity with a SIREN and each obligation of its closed period
not yet filed, ``DeclarationDue`` once at each threshold passed (``PORTAL_DECLARATIONS_REMINDER_DAYS``
days before the due date); a run missed only sends the nearest threshold passed."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit.db import Database, utcnow
from portalkit.jobs import PeriodicJob, every

from . import schedule
from .events import outbox
from .models import Entity, Reminder


def threshold(days_left: int, thresholds: tuple[int, ...]) -> int | None:
    """The nearest threshold passed (the smallest at or above ``days_left``), or None."""
    passed = [days for days in thresholds if days >= days_left]
    return min(passed) if passed else None


def remind(session: Session, moment: datetime, thresholds: tuple[int, ...]) -> int:
    """Write the reminders due at ``moment`` (each once: the ``reminders`` table); how many."""
    today, written = moment.date(), 0
    for entity in session.scalars(select(Entity).where(Entity.siren.is_not(None)).order_by(Entity.id)):
        for obligation in schedule.expected(entity):
            due = schedule.current(session, entity, obligation, today)
            if due is None or due.filed:
                continue
            days = threshold(due.days_left(today), thresholds)
            if days is None or _reminded(session, due, days):
                continue
            session.add(Reminder(entity_id=entity.id, obligation=obligation, period_end=due.period_end, days=days,
                                 due_on=due.due_on, sent_at=moment))
            outbox.add(session, "DeclarationDue", {
                "entity_id": entity.id, "entity_name": entity.name, "siren": entity.siren,
                "obligation": obligation, "period_end": due.period_end, "due_on": due.due_on,
                "days_left": due.days_left(today)})
            written += 1
    session.flush()
    return written


def _reminded(session: Session, due: schedule.Deadline, days: int) -> bool:
    return session.scalar(select(Reminder.id).where(
        Reminder.entity_id == due.entity_id, Reminder.obligation == due.obligation,
        Reminder.period_end == due.period_end, Reminder.days == days)) is not None


def reminder_job(database: Database, thresholds: tuple[int, ...], interval: float, now=utcnow) -> PeriodicJob:
    """The worker's periodic job: one transaction a run. Two workers at once: the unique key of
    ``reminders`` refuses the second's transaction, whose next run finds them written."""
    def send_reminders() -> int:
        with database.transaction() as session:
            return remind(session, now(), thresholds)
    return every(interval, send_reminders, "deadline reminders")

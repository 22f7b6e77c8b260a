"""An entity's deadlines: for each obligation it files, the period, the due date and whether it is
filed (a deposit of that obligation and closing date the partner or the administration did not
refuse) — what the declarants' page, the supervisor's table and the reminders read."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import deadlines
from .models import Deposit, Entity
from .obligations import CODES

# The deposits that no longer file anything: the partner's refusal, the administration's rejection.
NOT_FILING = ("refused_by_partner", "rejected")


@dataclass(frozen=True)
class Deadline:
    entity_id: str
    entity_name: str
    siren: str | None
    obligation: str
    period_end: date
    due_on: date
    deposit_id: str | None  # the deposit that files it, if any

    @property
    def filed(self) -> bool:
        return self.deposit_id is not None

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days


def expected(entity: Entity) -> list[str]:
    """The entity's obligations (``Entity.obligations``), the known codes only, in the portal's order."""
    named = {code.strip() for code in (entity.obligations or "").split(",")}
    return [code for code in CODES if code in named]


def filing_deposit(session: Session, entity_id: str, obligation: str, period_end: date) -> str | None:
    """The id of the newest deposit filing ``obligation`` for that period, or None."""
    return session.scalar(select(Deposit.id).where(
        Deposit.entity_id == entity_id, Deposit.obligation == obligation, Deposit.period_end == period_end,
        Deposit.status.not_in(NOT_FILING)).order_by(Deposit.deposited_at.desc()).limit(1))


def deadline(session: Session, entity: Entity, obligation: str, year: int) -> Deadline:
    """The deadline of ``obligation`` for the entity's period ending in ``year``."""
    end = deadlines.obligation_period_end(obligation, entity.closing or "12-31", year)
    return Deadline(entity.id, entity.name, entity.siren, obligation, end, deadlines.due_on(obligation, end),
                    filing_deposit(session, entity.id, obligation, end))


def next_deadline(session: Session, entity: Entity, obligation: str, today: date) -> Deadline:
    """The first deadline on or after ``today``: the last period closed, or the one still running
    (a 30 June closing in December: next year's, its deadline of this October passed)."""
    year = today.year - 1
    while deadlines.due_on(obligation, deadlines.obligation_period_end(obligation, entity.closing or "12-31", year)) < today:
        year += 1
    return deadline(session, entity, obligation, year)


def entity_deadlines(session: Session, entity: Entity, today: date, year: int | None = None) -> list[Deadline]:
    """The entity's deadlines of the periods ending in ``year``, or by default the next of each."""
    if year is not None:
        return [deadline(session, entity, obligation, year) for obligation in expected(entity)]
    return [next_deadline(session, entity, obligation, today) for obligation in expected(entity)]


def current(session: Session, entity: Entity, obligation: str, today: date) -> Deadline | None:
    """The deadline of the period closed before ``today`` and not yet due — the one reminders are
    about; None while no such period exists (the next one has not closed yet)."""
    for year in (today.year - 1, today.year):
        end = deadlines.obligation_period_end(obligation, entity.closing or "12-31", year)
        if end < today <= deadlines.due_on(obligation, end):
            return deadline(session, entity, obligation, year)
    return None

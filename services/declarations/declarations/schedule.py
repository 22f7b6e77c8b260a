"""An entity's deadlines: for each obligation it files, the period, the due date and whether it is
filed (a deposit of that obligation and closing date the partner or the administration did not
refuse) — what the declarants' page, the supervisor's table and the reminders read."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session, aliased

from portalkit.signed_identity import Identity

from . import deadlines, scope
from .models import Deposit, Entity, SupervisionRow, SupervisionTally
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


def current(session: Session, entity: Entity, obligation: str, today: date) -> Deadline | None:
    """The deadline of the period closed before ``today`` and not yet due — the one reminders are
    about; None while no such period exists (the next one has not closed yet)."""
    for year in (today.year - 1, today.year):
        end = deadlines.obligation_period_end(obligation, entity.closing or "12-31", year)
        if end < today <= deadlines.due_on(obligation, end):
            return deadline(session, entity, obligation, year)
    return None


def _filings(session: Session, rows) -> dict[tuple, str]:
    """The newest filing deposit of each row's entity, obligation and period (one query a page)."""
    keys = [(item.entity_id, item.obligation, item.period_end) for item in rows]
    if not keys:
        return {}
    found = session.execute(select(Deposit.entity_id, Deposit.obligation, Deposit.period_end, Deposit.id)
                            .where(tuple_(Deposit.entity_id, Deposit.obligation, Deposit.period_end).in_(keys),
                                   Deposit.status.not_in(NOT_FILING))
                            .order_by(Deposit.deposited_at, Deposit.id))
    return {(entity_id, obligation, end): deposit_id for entity_id, obligation, end, deposit_id in found}


def _count(session: Session, identity: Identity, year: int) -> int:
    """The rows of ``year`` of the caller's entities: a supervisor's from the tallies of its company
    (supervision_tallies.py: its whole subtree), a declarant's company's counted."""
    if scope.is_supervisor(identity):
        return int(session.scalar(select(func.coalesce(func.sum(SupervisionTally.rows), 0)).where(
            SupervisionTally.ancestor_id == identity.company_id, SupervisionTally.year == year)))
    return session.scalar(select(func.count()).select_from(SupervisionRow).where(
        SupervisionRow.year == year, SupervisionRow.entity_id.in_(scope.entity_ids(identity))))


def years_of(today: date, year: int | None) -> tuple[int, ...]:
    """The years of rows the deadlines read: ``year``, or by default those around today."""
    return (year,) if year is not None else (today.year - 1, today.year, today.year + 1)


def listed(session: Session, identity: Identity, today: date, year: int | None, page: int,
           per_page: int) -> tuple[list[Deadline], int]:
    """A page of the deadlines of the caller's entities, soonest first, and their count: those of
    the periods ending in ``year``, or by default the next of each entity × obligation — the first
    period, of those ending last year, this year or next, due on or after ``today``: due then while
    the year before's was not. Read from the supervisor's rows kept ready (supervision_rows.py; the years filled first):
    the page walks a due-date index, whatever the count of subsidiaries."""
    years = years_of(today, year)
    row, before = SupervisionRow, aliased(SupervisionRow)
    mine = row.entity_id.in_(scope.entity_ids(identity))
    if year is not None:
        found = select(row).where(row.year == year, mine)
    else:
        earlier_due = (select(before.entity_id).where(before.entity_id == row.entity_id,
                                                      before.obligation == row.obligation,
                                                      before.year == row.year - 1, before.due_on >= today))
        found = select(row).where(row.year.in_(years), row.due_on >= today, mine, ~earlier_due.exists())
    # By default, each entity × obligation has one next deadline, and a row next year.
    total = _count(session, identity, years[-1])
    rows = list(session.scalars(found.order_by(row.due_on, row.name, row.entity_id, row.rank)
                                .offset((page - 1) * per_page).limit(per_page)))
    filings = _filings(session, rows)
    return [Deadline(item.entity_id, item.name, item.siren, item.obligation, item.period_end, item.due_on,
                     filings.get((item.entity_id, item.obligation, item.period_end))) for item in rows], total

"""The supervisor's table: each subsidiary × obligation it files for the year's periods, its state
from the latest deposit (kept ready in ``SupervisionRow``, supervision_rows.py), the ``late`` and
``stuck`` flags — sorted, filtered, paged and summarised in SQL (one page query, one summary query)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from portalkit.signed_identity import Identity

from . import scope, supervision_tallies
from .models import Entity, SupervisionRow

STATES = ("expected", "deposited", "accepted", "partly_rejected", "rejected", "refused_by_partner")
FLAGS = ("late", "stuck")


@dataclass(frozen=True)
class Criteria:
    year: int
    obligation: str | None = None
    state: str | None = None    # one of STATES, or a flag (FLAGS)
    entity: str | None = None   # an entity's id or SIREN, or a part of its name


def _search(query: str):
    """The rows of the entities whose id or SIREN is ``query`` or whose name holds it: matched on
    the entities (one row each), not on their rows (five each)."""
    pattern = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    named = select(Entity.id).where(or_(Entity.id == query, Entity.siren == query,
                                        func.lower(Entity.name).like(pattern, escape="\\")))
    return SupervisionRow.entity_id.in_(named)


@dataclass(frozen=True)
class Table:
    """The rows of the criteria (``where``, on ``SupervisionRow``) and the clock's two flags as
    plain predicates, so that the planner estimates them and walks the due-date index."""
    where: tuple
    late: ColumnElement
    stuck: ColumnElement

    def rows(self, *columns):
        return select(*(columns or _COLUMNS)).where(*self.where)

    def narrowed(self, state: str | None):
        if state in FLAGS:
            return self.rows().where(self.late if state == "late" else self.stuck)
        return self.rows().where(SupervisionRow.state == state) if state else self.rows()


row = SupervisionRow
_COLUMNS = (row.entity_id, row.name, row.siren, row.obligation, row.rank, row.period_end, row.due_on, row.deposit_id,
            row.codes, row.transmitted_at, row.state)
ORDER = (row.due_on, row.name, row.entity_id, row.rank)  # ix_supervision_rows_year_due, after the year


def table(session: Session, identity: Identity, criteria: Criteria, today: date, now: datetime,
          stuck_hours: float) -> Table:
    """The supervisor's rows of the criteria (their year filled: supervision_rows.ensure_year)."""
    where = [row.year == criteria.year, row.entity_id.in_(scope.supervised_ids(identity))]
    if criteria.obligation:
        where.append(row.obligation == criteria.obligation)
    if criteria.entity:
        where.append(_search(criteria.entity))
    return Table(tuple(where), late=and_(row.due_on < today, row.state != "accepted"),
                 stuck=and_(row.state == "deposited", row.transmitted_at < now - timedelta(hours=stuck_hours)))


def counted(session: Session, found: Table) -> tuple[Counter, Counter, Counter, Counter]:
    """Per state of the rows: their count, the late, the stuck and the flagged (late or stuck) ones,
    counted on the rows (a search by entity; the tallies' test)."""
    def count(condition):
        return func.sum(case((condition, 1), else_=0))

    counts, lates, stucks, flagged = Counter(), Counter(), Counter(), Counter()
    for state, rows, late, stuck, either in session.execute(
            found.rows(row.state, func.count(), count(found.late), count(found.stuck),
                       count(or_(found.late, found.stuck))).group_by(row.state)):
        counts[state], lates[state], stucks[state], flagged[state] = rows, int(late or 0), int(stuck or 0), int(either or 0)
    return counts, lates, stucks, flagged


def _summary(session: Session, identity: Identity, criteria: Criteria, found: Table, today: date, now: datetime,
             stuck_hours: float) -> tuple[dict, Counter]:
    """The counts per state and flag, and per state the flagged (late or stuck) rows: from the
    tallies kept ready (supervision_tallies.py), or the rows themselves for a search by entity."""
    if criteria.entity:
        counts, lates, stucks, flagged = counted(session, found)
    else:
        counts, lates, stucks, flagged = supervision_tallies.summary(
            session, identity.company_id, criteria.year, criteria.obligation, today, now, stuck_hours)
    summary = {name: counts[name] for name in STATES}
    summary.update(late=sum(lates.values()), stuck=sum(stucks.values()))
    return summary, flagged


def page(session: Session, identity: Identity, criteria: Criteria, page_number: int, per_page: int,
         today: date, now: datetime, stuck_hours: float) -> tuple[list, dict, int]:
    """The page's rows (late and stuck first, then by due date, entity name), each with its
    ``late`` and ``stuck``; the summary (counts per state and flag, the state criterion left out)
    and the total matching the criteria."""
    found = table(session, identity, criteria, today, now, stuck_hours)
    summary, flagged = _summary(session, identity, criteria, found, today, now, stuck_hours)
    if criteria.state in FLAGS:
        total = first = summary[criteria.state]
    elif criteria.state:
        total, first = summary[criteria.state], flagged.get(criteria.state, 0)
    else:
        total, first = sum(summary[name] for name in STATES), sum(flagged.values())
    # The flagged rows, then the others, each read in the due-date index's order up to the page:
    # no sort of the whole scope, whatever its size.
    either = or_(found.late, found.stuck)
    listed = found.narrowed(criteria.state).add_columns(case((found.late, 1), else_=0).label("late"),
                                                        case((found.stuck, 1), else_=0).label("stuck")).order_by(*ORDER)
    offset, rows = (page_number - 1) * per_page, []
    if offset < first:
        rows += session.execute(listed.where(either).offset(offset).limit(per_page)).mappings().all()
    if len(rows) < per_page and criteria.state not in FLAGS:
        rest = listed.where(~either).offset(max(0, offset - first)).limit(per_page - len(rows))
        rows += session.execute(rest).mappings().all()
    return rows, summary, total


def latest_deposits(session: Session, identity: Identity, criteria: Criteria, today: date, now: datetime,
                    after: tuple[str, str] | None, size: int):
    """The next ``size`` rows having a deposit, by entity name and id then obligation, after the
    (name, id) of the last batch's last row (keyset: the ZIP reads them a batch at a time)."""
    found = table(session, identity, criteria, today, now, 24.0)
    later = [row.deposit_id.is_not(None)]
    if after is not None:
        later.append(or_(row.name > after[0], and_(row.name == after[0], row.entity_id > after[1])))
    # Whole entities per batch: the keyset is (name, id), so an entity's obligations never split.
    batch = (found.rows(row.name, row.entity_id).where(*later).distinct().order_by(row.name, row.entity_id)
             .limit(size).subquery("batch"))
    query = (found.rows(row.entity_id, row.name, row.siren, row.deposit_id).where(*later)
             .join(batch, batch.c.entity_id == row.entity_id).order_by(row.name, row.entity_id, row.rank))
    return session.execute(query).all()

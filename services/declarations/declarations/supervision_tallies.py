"""The supervisor's summary kept ready (``SupervisionTally``): per entity and each entity at or above
it, how many rows have each year, obligation, state, due date and — deposited — transmission hour.
Kept with the rows (supervision_rows.py counts each row it adds, changes or removes; the tree's
moves regroup a subtree's), so that a summary of 50,000 rows reads a few hundred tallies."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import and_, case, func, insert, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import EntityLineage, SupervisionRow, SupervisionTally

KEY = ("year", "obligation", "state", "due_on", "sent_hour")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def sent_hour(state: str, transmitted_at: datetime | None) -> int:
    """The hour (since 1970) a deposited row was transmitted in; 0 for any other row."""
    if state != "deposited" or transmitted_at is None:
        return 0
    return int((transmitted_at - EPOCH).total_seconds() // 3600)


def key(row: SupervisionRow) -> tuple:
    return row.year, row.obligation, row.state, row.due_on, sent_hour(row.state, row.transmitted_at)


def _upsert(session: Session, counts: Counter) -> None:
    """Add each ``(ancestor_id, *KEY) → rows`` of ``counts`` to its tally (created at need)."""
    values = [dict(zip(("ancestor_id", *KEY), each), rows=rows) for each, rows in counts.items() if rows]
    if not values:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    for start in range(0, len(values), 500):
        statement = dialect.insert(SupervisionTally).values(values[start:start + 500])
        session.execute(statement.on_conflict_do_update(
            index_elements=["ancestor_id", *KEY], set_={"rows": SupervisionTally.rows + statement.excluded.rows}))


def _ancestors(session: Session, entity_id: str) -> list[str]:
    return list(session.scalars(select(EntityLineage.ancestor_id).where(EntityLineage.entity_id == entity_id)))


def count(session: Session, entity_id: str, changes: Counter) -> None:
    """Apply ``changes`` (a row's KEY → +1 added, −1 removed) to the tallies of the entity's lineage."""
    changes = Counter({each: rows for each, rows in changes.items() if rows})
    if changes:
        _upsert(session, Counter({(ancestor, *each): rows for ancestor in _ancestors(session, entity_id)
                                  for each, rows in changes.items()}))


def fill(session: Session, year: int) -> None:
    """Tally ``year``'s rows just filled (supervision_rows.ensure_year): grouped in SQL, but the
    deposited rows' hours, counted here (an hour is not portable SQL)."""
    row, line = SupervisionRow, EntityLineage
    grouped = (select(line.ancestor_id, row.year, row.obligation, row.state, row.due_on, literal(0), func.count())
               .join(line, line.entity_id == row.entity_id)
               .where(row.year == year, or_(row.state != "deposited", row.transmitted_at.is_(None)))
               .group_by(line.ancestor_id, row.year, row.obligation, row.state, row.due_on))
    session.execute(insert(SupervisionTally).from_select(("ancestor_id", *KEY, "rows"), grouped))
    deposited = session.execute(select(line.ancestor_id, row.obligation, row.due_on, row.transmitted_at)
                                .join(line, line.entity_id == row.entity_id)
                                .where(row.year == year, row.state == "deposited", row.transmitted_at.is_not(None)))
    _upsert(session, Counter((ancestor, year, obligation, "deposited", due_on, sent_hour("deposited", sent))
                             for ancestor, obligation, due_on, sent in deposited))


def regroup(session: Session, entity_id: str, cut: list[str], linked: list[str]) -> None:
    """A subtree moved (tree.move): its rows leave the tallies of the ancestors ``cut`` and join
    those of the ancestors ``linked``."""
    leaving, joining = set(cut) - set(linked), set(linked) - set(cut)
    if not leaving and not joining:
        return
    row = SupervisionRow
    below = select(EntityLineage.entity_id).where(EntityLineage.ancestor_id == entity_id)
    moved = Counter(key(each) for each in session.scalars(select(row).where(row.entity_id.in_(below))))
    _upsert(session, Counter({(ancestor, *each): sign * rows for each, rows in moved.items()
                              for sign, ancestors in ((-1, leaving), (1, joining)) for ancestor in ancestors}))


def summary(session: Session, ancestor_id: str, year: int, obligation: str | None, today: date, now: datetime,
            stuck_hours: float) -> tuple[Counter, Counter, Counter, Counter]:
    """Per state of the rows at or below ``ancestor_id`` for ``year`` (and ``obligation``): their
    count, the late, the stuck and the flagged (late or stuck) ones. The hours before the stuck
    limit's are summed; the rows transmitted in that hour, before the limit, are read."""
    cutoff = now - timedelta(hours=stuck_hours)
    limit_hour = sent_hour("deposited", cutoff)
    tally = SupervisionTally
    where = [tally.ancestor_id == ancestor_id, tally.year == year]
    if obligation:
        where.append(tally.obligation == obligation)
    late = and_(tally.due_on < today, tally.state != "accepted")
    stuck = and_(tally.sent_hour > 0, tally.sent_hour < limit_hour)

    def total(condition=None):
        return func.sum(tally.rows if condition is None else case((condition, tally.rows), else_=0))

    counts, lates, stucks, flagged = Counter(), Counter(), Counter(), Counter()
    for state, rows, late_rows, stuck_rows, either in session.execute(
            select(tally.state, total(), total(late), total(stuck), total(or_(late, stuck)))
            .where(*where).group_by(tally.state)):
        counts[state], lates[state], stucks[state], flagged[state] = int(rows), int(late_rows), int(stuck_rows), int(either)
    row = SupervisionRow
    at_limit = select(row.due_on).where(
        row.year == year, row.state == "deposited", row.transmitted_at >= EPOCH + timedelta(hours=limit_hour),
        row.transmitted_at < cutoff, row.entity_id.in_(select(EntityLineage.entity_id)
                                                       .where(EntityLineage.ancestor_id == ancestor_id)))
    if obligation:
        at_limit = at_limit.where(row.obligation == obligation)
    for due_on in session.scalars(at_limit):
        stucks["deposited"] += 1
        flagged["deposited"] += 0 if due_on < today else 1
    return counts, lates, stucks, flagged

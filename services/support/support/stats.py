"""The operators' counts over time: requests opened and resolved per week (Monday to Sunday, UTC).
Each opening and each move to resolved adds one to its week's row of ``weekly_counts`` by an upsert
in its own transaction, so the chart reads a dozen rows whatever the number of requests."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import WeeklyCount

OPENED, RESOLVED = "opened", "resolved"


def week_of(moment: datetime) -> date:
    """The Monday (UTC) of ``moment``'s week."""
    day = moment.astimezone(timezone.utc).date()
    return day - timedelta(days=day.weekday())


def count(session: Session, moment: datetime, what: str) -> None:
    """One more request opened or resolved in ``moment``'s week. Concurrent transactions queue on
    the week's row (creations queue on the numbering counter already)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    column = getattr(WeeklyCount, what)
    values = {"week": week_of(moment), OPENED: 0, RESOLVED: 0, what: 1}
    session.execute(dialect.insert(WeeklyCount).values(**values)
                    .on_conflict_do_update(index_elements=[WeeklyCount.week], set_={what: column + 1}))


def weekly(session: Session, weeks: int, now: datetime) -> list[dict]:
    """``weeks`` weeks of ``{week, opened, resolved}``, oldest first, the current one last; a request
    resolved twice (resolved, reopened, resolved) counts in each week it was resolved."""
    last = week_of(now)
    first = last - timedelta(weeks=weeks - 1)
    kept = {row.week: row for row in session.scalars(
        select(WeeklyCount).where(WeeklyCount.week >= first, WeeklyCount.week <= last))}
    rows = []
    for index in range(weeks):
        week = first + timedelta(weeks=index)
        row = kept.get(week)
        rows.append({"week": week, "opened": row.opened if row else 0, "resolved": row.resolved if row else 0})
    return rows

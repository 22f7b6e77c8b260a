"""The operators' counts over time: requests opened and resolved per week (Monday to Sunday, UTC),
the current week last. Each week is two range counts on an index (``created_at`` of the requests,
``(to_status, at)`` of the moves): index-only on PostgreSQL, whatever the table's size."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import moves
from .models import RequestMove, SupportRequest


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 UTC of ``moment``'s week."""
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def weekly(session: Session, weeks: int, now: datetime) -> list[dict]:
    """``weeks`` weeks of ``{week, opened, resolved}``, oldest first; a request resolved twice
    (resolved, reopened, resolved) counts in each week it was resolved."""
    first = week_start(now) - timedelta(weeks=weeks - 1)
    rows = []
    for index in range(weeks):
        start, end = first + timedelta(weeks=index), first + timedelta(weeks=index + 1)
        opened = session.scalar(select(func.count()).select_from(SupportRequest).where(
            SupportRequest.created_at >= start, SupportRequest.created_at < end))
        resolved = session.scalar(select(func.count()).select_from(RequestMove).where(
            RequestMove.to_status == moves.RESOLVED, RequestMove.at >= start, RequestMove.at < end))
        rows.append({"week": start.date(), "opened": opened, "resolved": resolved})
    return rows

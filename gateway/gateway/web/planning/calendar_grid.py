"""The month grid of the planning page: weeks from Monday, each day with its services (a service
spanning days shows on each), today and the chosen day marked."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta


@dataclass
class Day:
    day: date
    in_month: bool
    today: bool
    chosen: bool
    services: list = field(default_factory=list)


def month_of(text: str | None, today: date) -> date:
    """The first day of ``YYYY-MM`` (this month when absent or malformed)."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def shift(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def days_of(item: dict) -> list[date]:
    """The local days a service covers (its times carry the company's offset)."""
    try:
        starts, ends = datetime.fromisoformat(item["starts_at"]), datetime.fromisoformat(item["ends_at"])
    except (KeyError, TypeError, ValueError):
        return []
    last = (ends - timedelta(microseconds=1)).date()
    out, day = [], starts.date()
    while day <= last and len(out) < 32:
        out.append(day)
        day += timedelta(days=1)
    return out


def weeks(first: date, items: list[dict], today: date, chosen: date | None) -> list[list[Day]]:
    by_day: dict[date, list] = {}
    for item in items:
        for day in days_of(item):
            by_day.setdefault(day, []).append(item)
    rows = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        rows.append([Day(day, day.month == first.month, day == today, day == chosen, by_day.get(day, []))
                     for day in week])
    return rows

"""Business-hours arithmetic for the support clock: which moments count, adding business time to a
moment, and the business time between two moments — in a calendar's own time zone, so that a
daylight-saving change moves the working day with the wall clock (09:00 stays 09:00).

A calendar is written ``"mon-fri 09:00-18:00"`` (days: ranges or lists, ``mon,wed,fri``; several
groups separated by ``;``: ``"mon-thu 09:00-18:00; fri 09:00-17:00"``), a time zone (IANA name),
and optional holidays (dates that do not count at all). Times in and out are aware datetimes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_GROUP = re.compile(r"^\s*([a-z,\-\s]+?)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
# No calendar looks further ahead than this for its next working moment (a calendar with no
# working day at all is refused when it is made).
HORIZON_DAYS = 3660


class CalendarError(ValueError):
    """A calendar setting that cannot be read."""


@dataclass(frozen=True)
class Calendar:
    """Working hours per weekday (0 = Monday: (start, end) local times), a zone, holidays."""

    hours: dict[int, tuple[time, time]]
    zone: ZoneInfo
    holidays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, spec: str, zone: str = "Europe/Paris", holidays: str | list = "") -> "Calendar":
        """``"mon-fri 09:00-18:00"``, ``"Europe/Paris"``, ``"2026-12-25,2027-01-01"``."""
        hours: dict[int, tuple[time, time]] = {}
        for group in (part for part in spec.lower().split(";") if part.strip()):
            match = _GROUP.match(group)
            if not match:
                raise CalendarError(f"cannot read the business hours {group.strip()!r} "
                                    "(write e.g. 'mon-fri 09:00-18:00')")
            days, h1, m1, h2, m2 = match.groups()
            try:
                start, end = time(int(h1), int(m1)), time(int(h2), int(m2))
            except ValueError:
                raise CalendarError(f"not a time of day in {group.strip()!r}") from None
            if end <= start:
                raise CalendarError(f"the hours of {group.strip()!r} end before they start")
            for day in _days(days):
                hours[day] = (start, end)
        if not hours:
            raise CalendarError("the business hours name no working day")
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise CalendarError(f"unknown time zone {zone!r}") from None
        if isinstance(holidays, str):
            holidays = [item for item in re.split(r"[,\s]+", holidays) if item]
        try:
            days_off = frozenset(item if isinstance(item, date) else date.fromisoformat(item) for item in holidays)
        except ValueError:
            raise CalendarError(f"holidays must be YYYY-MM-DD dates, got {holidays!r}") from None
        return cls(hours, tz, days_off)

    # --- the working windows ------------------------------------------------------------
    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The working window of a local day, as UTC moments; None on a day off."""
        if day in self.holidays or day.weekday() not in self.hours:
            return None
        start, end = self.hours[day.weekday()]
        # A wall-clock time that a DST change skips or repeats resolves as zoneinfo does (fold 0).
        return (datetime.combine(day, start, self.zone).astimezone(timezone.utc),
                datetime.combine(day, end, self.zone).astimezone(timezone.utc))

    def _windows_from(self, moment: datetime):
        """Working windows (clipped to start at ``moment``) from ``moment`` on, in order."""
        day = moment.astimezone(self.zone).date()
        for offset in range(HORIZON_DAYS):
            window = self.window(day + timedelta(days=offset))
            if window is None:
                continue
            start, end = window
            if end <= moment:
                continue
            yield max(start, moment), end
        raise CalendarError("no working day within ten years")  # holidays covering everything

    def day_seconds(self) -> float:
        """The length of the longest working day, seconds (what a target's ``d`` counts)."""
        return max((datetime.combine(date.min, end) - datetime.combine(date.min, start)).total_seconds()
                   for start, end in self.hours.values())

    # --- arithmetic ---------------------------------------------------------------------
    def is_open(self, moment: datetime) -> bool:
        moment = _aware(moment)
        window = self.window(moment.astimezone(self.zone).date())
        return window is not None and window[0] <= moment < window[1]

    def add(self, moment: datetime, seconds: float) -> datetime:
        """The moment when ``seconds`` of business time have passed after ``moment``.

        Starting outside the hours counts from the next opening; ``add(m, 0)`` is ``m`` itself
        during the hours, else the next opening.
        """
        moment = _aware(moment)
        remaining = max(0.0, float(seconds))
        for start, end in self._windows_from(moment):
            available = (end - start).total_seconds()
            if remaining <= available:
                return start + timedelta(seconds=remaining)
            remaining -= available
        raise AssertionError("unreachable")  # _windows_from raises first

    def between(self, first: datetime, second: datetime) -> float:
        """The business seconds from ``first`` to ``second`` (negative when ``second`` is earlier)."""
        first, second = _aware(first), _aware(second)
        if second < first:
            return -self.between(second, first)
        total = 0.0
        day = first.astimezone(self.zone).date()
        last = second.astimezone(self.zone).date()
        while day <= last:
            window = self.window(day)
            if window is not None:
                start, end = max(window[0], first), min(window[1], second)
                if end > start:
                    total += (end - start).total_seconds()
            day += timedelta(days=1)
        return total


def _days(text: str) -> list[int]:
    out: list[int] = []
    for item in (part.strip() for part in text.split(",") if part.strip()):
        if "-" in item:
            first, _, last = (part.strip() for part in item.partition("-"))
            a, b = _day(first), _day(last)
            out += list(range(a, b + 1)) if a <= b else [*range(a, 7), *range(0, b + 1)]
        else:
            out.append(_day(item))
    return out


def _day(name: str) -> int:
    try:
        return DAYS.index(name[:3])
    except ValueError:
        raise CalendarError(f"unknown day {name!r} (mon, tue, wed, thu, fri, sat, sun)") from None


def _aware(moment: datetime) -> datetime:
    """The moment in UTC. Python subtracts and compares two datetimes of the same zone by their
    wall clocks, which is an hour off across a DST change: all arithmetic here is done in UTC."""
    if moment.tzinfo is None:
        raise ValueError("business-hours arithmetic needs aware datetimes")
    return moment.astimezone(timezone.utc)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([hdm])\s*$")


def duration_seconds(text: str, calendar: Calendar) -> float:
    """``"4h"``, ``"30m"``, ``"2d"`` (``d``: one working day of the calendar) as business seconds."""
    match = _DURATION.match(text.lower())
    if not match:
        raise CalendarError(f"cannot read the duration {text!r} (write e.g. 4h, 30m, 2d)")
    amount, unit = float(match.group(1)), match.group(2)
    return amount * {"m": 60.0, "h": 3600.0, "d": calendar.day_seconds()}[unit]

"""When each obligation is due: French public holidays and working days, and the rule table stated
per campaign (campaign year → obligation → rule); ``period_end`` and ``due_on`` answer dates."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache


# --- holidays and working days -----------------------------------------------------------------
def easter(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous, Meeus/Jones/Butcher computation)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def holidays(year: int) -> frozenset[date]:
    """France's eleven public holidays (metropolitan; Alsace-Moselle's two more are not counted)."""
    sunday = easter(year)
    fixed = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
    return frozenset({date(year, month, day) for month, day in fixed}
                     | {sunday + timedelta(days=1), sunday + timedelta(days=39), sunday + timedelta(days=50)})


def working_day(day: date) -> bool:
    """Monday to Friday, not a public holiday."""
    return day.weekday() < 5 and day not in holidays(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not working_day(day):
        day += timedelta(days=1)
    return day


def working_days_after(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself not counted)."""
    while count > 0:
        day += timedelta(days=1)
        count -= working_day(day)
    return day


def _months_later(day: date, months: int) -> date:
    """The same day ``months`` later; a month's last day stays its last day (30 Nov → 28/29 Feb),
    the way a deadline "within three months of the closing" is read."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = calendar.monthrange(year, month)[1]
    at_month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, last if at_month_end else min(day.day, last))


# --- the rule table ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """One obligation's deadline for one campaign. A 31 December closing: the ``after_may_first``-th
    working day after 1 May of the next year (or ``fixed``, a date the administration set), plus
    ``extra_days`` (the teleprocedures' delay); another closing: ``months`` after it, plus
    ``extra_days``. ``calendar_year``: the period is the calendar year whatever the closing."""
    after_may_first: int = 2
    months: int = 3
    extra_days: int = 15
    calendar_year: bool = False
    fixed: date | None = None


_LIASSE = Rule()
_CALENDAR = Rule(calendar_year=True)
# Each campaign states its rules here, and only here: a year the administration moves a date is
# one ``fixed`` more. The rules applied (the DGFiP's, simplified where the docstring says so):
# - liasse and 1330-CVAE: a 31 December closing, the 2nd working day after 1 May + 15 days for
#   teleprocedures; another closing, three months after it + 15 days.
# - CA12 (annual VAT, simplified regime): the liasse's rule (the CA12 of a 31 December closing is
#   due with the liasse; otherwise within three months of the closing, + 15 days for teleprocedures).
# - DAS2 and IFU (2561): they report the payments of a calendar year, so their period is the
#   calendar year whatever the closing, due on the liasse's deadline of a 31 December closing (a
#   simplification: the IFU is really due mid-February, the DAS2 with the liasse or by May).
# - A deadline on a Saturday, Sunday or holiday moves to the next working day: the general rule
#   for any tax deadline ending on a non-working day (the 15 days are calendar days, counted first).
_STANDARD = {"liasse": _LIASSE, "cvae": _LIASSE, "vat": _LIASSE, "das2": _CALENDAR, "ifu": _CALENDAR}
RULES: dict[int, dict[str, Rule]] = {year: dict(_STANDARD) for year in range(2023, 2031)}


def campaign_of(period_end: date) -> int:
    """The campaign (millésime) filing a period: closings from 31 Dec N-1 to 30 Dec N are campaign N
    (the sample's 2023-12-31 closing travels with FD2401, campaign 2024)."""
    return period_end.year + 1 if (period_end.month, period_end.day) == (12, 31) else period_end.year


def rule(obligation: str, campaign: int) -> Rule:
    """The campaign's rule; a campaign not in the table takes the nearest stated one's (the table
    is extended each year, and the rules rarely change)."""
    year = min(RULES, key=lambda known: (abs(known - campaign), -known))
    return RULES[year][obligation]


# --- dates -------------------------------------------------------------------------------------
def period_end(entity_closing: str, year: int) -> date:
    """The closing date ("MM-DD") of the financial year closing in ``year``; 29 February is the
    28th in a common year."""
    month, day = (int(part) for part in entity_closing.split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def obligation_period_end(obligation: str, entity_closing: str, year: int) -> date:
    """The end of the period an obligation reports for the year: the entity's closing, or
    31 December for the calendar-year ones (DAS2, IFU)."""
    end = period_end(entity_closing, year)
    return date(year, 12, 31) if rule(obligation, campaign_of(end)).calendar_year else end


def due_on(obligation: str, period_end: date, campaign: int | None = None) -> date:
    """The date ``obligation`` for the period closing ``period_end`` is due (``campaign``: the
    campaign whose rules apply, by default the one of the period)."""
    applied = rule(obligation, campaign if campaign is not None else campaign_of(period_end))
    if applied.calendar_year:
        period_end = date(period_end.year, 12, 31)
    if (period_end.month, period_end.day) == (12, 31):
        start = applied.fixed or working_days_after(date(period_end.year + 1, 5, 1), applied.after_may_first)
    else:
        start = _months_later(period_end, applied.months)
    return next_working_day(start + timedelta(days=applied.extra_days))

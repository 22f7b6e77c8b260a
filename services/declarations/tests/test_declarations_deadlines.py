"""The deadlines' rules date by date: France's public holidays (Easter's against known dates),
working days, the liasse's 31 December rule and the three months' one, the roll to the next
working day, leap years, the calendar-year obligations and the campaign's table."""
from __future__ import annotations

from datetime import date

import pytest

from declarations import deadlines
from declarations.deadlines import due_on, easter, holidays, period_end, working_day


@pytest.mark.parametrize("year, sunday", [(2019, date(2019, 4, 21)), (2022, date(2022, 4, 17)),
                                          (2023, date(2023, 4, 9)), (2024, date(2024, 3, 31)),
                                          (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)),
                                          (2027, date(2027, 3, 28)), (2038, date(2038, 4, 25))])
def test_easter_sunday_of_known_years(year, sunday):
    assert easter(year) == sunday


def test_the_eleven_holidays_of_2024_and_2025():
    assert sorted(holidays(2024)) == [date(2024, 1, 1), date(2024, 4, 1), date(2024, 5, 1), date(2024, 5, 8),
                                      date(2024, 5, 9), date(2024, 5, 20), date(2024, 7, 14), date(2024, 8, 15),
                                      date(2024, 11, 1), date(2024, 11, 11), date(2024, 12, 25)]
    assert {date(2025, 4, 21), date(2025, 5, 29), date(2025, 6, 9)} <= holidays(2025)  # Easter Monday, Ascension, Whit Monday
    assert {date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)} <= holidays(2026)
    assert len(holidays(2025)) == 11


def test_working_days_are_weekdays_but_holidays():
    assert working_day(date(2025, 5, 2))        # a Friday
    assert not working_day(date(2025, 5, 3))    # a Saturday
    assert not working_day(date(2025, 5, 29))   # Ascension, a Thursday
    assert not working_day(date(2024, 5, 20))   # Whit Monday
    assert deadlines.working_days_after(date(2025, 5, 1), 2) == date(2025, 5, 5)  # Fri 2, Mon 5
    assert deadlines.working_days_after(date(2024, 5, 1), 2) == date(2024, 5, 3)  # Thu 2, Fri 3


@pytest.mark.parametrize("closing, due", [
    (date(2024, 12, 31), date(2025, 5, 20)),   # 2nd working day after 1 May: Mon 5 May, + 15 → Tue 20
    (date(2023, 12, 31), date(2024, 5, 21)),   # Fri 3 May + 15 → Sat 18; Mon 20 is Whit Monday → Tue 21
    (date(2025, 12, 31), date(2026, 5, 20)),   # 1 May a Friday: Mon 4, Tue 5 + 15 → Wed 20
    (date(2022, 12, 31), date(2023, 5, 19)),   # Tue 2, Wed 3 May 2023 + 15 → Thu 18, Ascension → Fri 19
])
def test_the_liasse_of_a_31_december_closing(closing, due):
    assert due_on("liasse", closing) == due
    assert due_on("cvae", closing) == due and due_on("vat", closing) == due


@pytest.mark.parametrize("closing, due", [
    (date(2024, 6, 30), date(2024, 10, 15)),   # 30 Sep + 15, a Tuesday
    (date(2024, 9, 30), date(2025, 1, 15)),    # a month's end stays one: 31 Dec + 15
    (date(2024, 3, 31), date(2024, 7, 15)),    # 30 Jun + 15, a Monday
    (date(2025, 3, 31), date(2025, 7, 15)),
    (date(2024, 11, 30), date(2025, 3, 17)),   # 28 Feb 2025 + 15 → Sat 15 Mar → Mon 17
    (date(2023, 11, 30), date(2024, 3, 15)),   # leap year: 29 Feb 2024 + 15 → Fri 15 Mar
    (date(2025, 4, 15), date(2025, 7, 30)),    # not a month's end: 15 Jul + 15
    (date(2024, 4, 30), date(2024, 8, 16)),    # 31 Jul + 15 = Thu 15 Aug, Assumption → Fri 16
    (date(2026, 7, 27), date(2026, 11, 12)),   # 27 Oct + 15 = Wed 11 Nov, Armistice → Thu 12
])
def test_another_closing_three_months_after_plus_15_days(closing, due):
    assert due_on("liasse", closing) == due
    assert due_on("vat", closing) == due


def test_das2_and_ifu_report_the_calendar_year_due_with_a_31_december_liasse():
    assert due_on("das2", date(2024, 12, 31)) == date(2025, 5, 20) == due_on("ifu", date(2024, 12, 31))
    assert deadlines.obligation_period_end("das2", "06-30", 2024) == date(2024, 12, 31)
    assert due_on("ifu", date(2024, 6, 30)) == date(2025, 5, 20)


def test_period_ends_and_leap_years():
    assert period_end("12-31", 2024) == date(2024, 12, 31)
    assert period_end("06-30", 2025) == date(2025, 6, 30)
    assert period_end("02-29", 2024) == date(2024, 2, 29)
    assert period_end("02-29", 2025) == date(2025, 2, 28)
    # 28 Feb 2025 is its month's last day: three months later is 31 May, + 15 → Sun 15 Jun → Mon 16.
    assert due_on("liasse", period_end("02-29", 2025)) == date(2025, 6, 16)
    assert due_on("liasse", date(2024, 2, 29)) == date(2024, 6, 17)  # 31 May + 15 → Sat 15 → Mon 17


def test_the_campaign_of_a_period_and_its_rules():
    assert deadlines.campaign_of(date(2023, 12, 31)) == 2024
    assert deadlines.campaign_of(date(2024, 6, 30)) == 2024
    assert set(deadlines.RULES[2025]) == {"liasse", "cvae", "vat", "das2", "ifu"}
    # A campaign beyond the table takes the nearest stated one's rules.
    assert deadlines.rule("liasse", 2099) == deadlines.RULES[max(deadlines.RULES)]["liasse"]


def test_a_campaign_s_fixed_date_moves_only_that_campaign(monkeypatch):
    moved = dict(deadlines.RULES[2025], liasse=deadlines.Rule(fixed=date(2025, 5, 6)))
    monkeypatch.setitem(deadlines.RULES, 2025, moved)
    assert due_on("liasse", date(2024, 12, 31)) == date(2025, 5, 21)  # 6 May + 15
    assert due_on("cvae", date(2024, 12, 31)) == date(2025, 5, 20)
    assert due_on("liasse", date(2024, 12, 31), campaign=2026) == date(2025, 5, 20)

"""Business-hours arithmetic: nights, weekends, holidays, several groups of hours, DST changes, and
the inverse relation of ``add`` and ``between``."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from support.business_hours import Calendar, CalendarError, duration_seconds

PARIS = ZoneInfo("Europe/Paris")
H = 3600


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def office():
    return Calendar.parse("mon-fri 09:00-18:00", "Europe/Paris")


def test_within_a_working_day(office):
    # Wednesday 2 December 2026, 10:00
    assert office.add(paris(2026, 12, 2, 10), 4 * H) == paris(2026, 12, 2, 14)
    assert office.between(paris(2026, 12, 2, 10), paris(2026, 12, 2, 14)) == 4 * H


def test_an_evening_start_counts_from_the_next_morning(office):
    assert office.add(paris(2026, 12, 2, 20), 1 * H) == paris(2026, 12, 3, 10)
    assert office.add(paris(2026, 12, 2, 7), 0) == paris(2026, 12, 2, 9)
    assert office.between(paris(2026, 12, 2, 19), paris(2026, 12, 3, 8)) == 0


def test_a_target_crossing_the_night(office):
    assert office.add(paris(2026, 12, 2, 16), 4 * H) == paris(2026, 12, 3, 11)
    assert office.between(paris(2026, 12, 2, 16), paris(2026, 12, 3, 11)) == 4 * H


def test_the_weekend_does_not_count(office):
    friday_five = paris(2026, 12, 4, 17)
    assert office.add(friday_five, 2 * H) == paris(2026, 12, 7, 10)  # Monday
    assert office.add(paris(2026, 12, 5, 12), 1 * H) == paris(2026, 12, 7, 10)  # from Saturday
    assert office.between(friday_five, paris(2026, 12, 7, 10)) == 2 * H
    assert office.add(friday_five, 9 * H) == paris(2026, 12, 7, 17)


def test_exactly_at_closing_time(office):
    assert office.add(paris(2026, 12, 2, 9), 9 * H) == paris(2026, 12, 2, 18)
    assert office.add(paris(2026, 12, 2, 18), 1) == paris(2026, 12, 3, 9, 0, 1)
    assert office.is_open(paris(2026, 12, 2, 9)) and not office.is_open(paris(2026, 12, 2, 18))


def test_holidays_are_skipped():
    calendar = Calendar.parse("mon-fri 09:00-18:00", "Europe/Paris", "2026-12-24, 2026-12-25")
    # Wednesday 23rd, 17:00 + 2 h: Thursday and Friday are holidays → Monday 28th, 10:00
    assert calendar.add(paris(2026, 12, 23, 17), 2 * H) == paris(2026, 12, 28, 10)
    assert calendar.between(paris(2026, 12, 23, 17), paris(2026, 12, 28, 10)) == 2 * H


def test_several_groups_of_hours():
    calendar = Calendar.parse("mon-thu 09:00-18:00; fri 09:00-12:00", "Europe/Paris")
    assert calendar.add(paris(2026, 12, 4, 11), 2 * H) == paris(2026, 12, 7, 10)
    assert calendar.day_seconds() == 9 * H
    weekend = Calendar.parse("sat,sun 10:00-16:00", "UTC")
    assert weekend.add(datetime(2026, 12, 4, 12, tzinfo=timezone.utc), H) == datetime(2026, 12, 5, 11, tzinfo=timezone.utc)
    wrapping = Calendar.parse("fri-mon 08:00-09:00", "UTC")
    assert sorted(wrapping.hours) == [0, 4, 5, 6]


def test_the_spring_dst_change_keeps_the_wall_clock_hours(office):
    # Clocks go forward in the night of Saturday 27 to Sunday 28 March 2027.
    friday = paris(2027, 3, 26, 17)
    due = office.add(friday, 2 * H)
    assert due == paris(2027, 3, 29, 10)
    assert due.astimezone(timezone.utc) == datetime(2027, 3, 29, 8, tzinfo=timezone.utc)  # UTC+2 now
    assert friday.astimezone(timezone.utc).hour == 16  # UTC+1 before
    assert office.between(friday, due) == 2 * H


def test_the_autumn_dst_change_and_a_calendar_working_through_it():
    # Clocks go back at 03:00 on Sunday 25 October 2026: that day has 25 hours.
    round_the_clock = Calendar.parse("mon-sun 00:00-23:59", "Europe/Paris")
    start = paris(2026, 10, 25, 1)
    end = paris(2026, 10, 25, 5)
    assert round_the_clock.between(start, end) == 5 * H  # one hour happened twice
    assert round_the_clock.add(start, 5 * H) == end


def test_a_night_shift_in_the_changed_hour():
    night = Calendar.parse("sun 01:00-04:00", "Europe/Paris")
    # The 25 October 2026 window lasts 4 real hours (02:00–03:00 twice).
    start, end = night.window(paris(2026, 10, 25).date())
    assert (end - start).total_seconds() == 4 * H


def test_add_and_between_are_inverse():
    calendar = Calendar.parse("mon-fri 08:30-17:30", "Europe/Paris", "2027-01-01")
    rng = random.Random(14)
    for _ in range(300):
        start = datetime(2026, 10, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randrange(0, 60 * 24 * 200))
        seconds = rng.randrange(0, 40 * H)
        due = calendar.add(start, seconds)
        assert calendar.between(start, due) == pytest.approx(seconds)
        assert due >= start
        assert calendar.between(due, start) == pytest.approx(-seconds)


def test_durations_in_business_units(office):
    assert duration_seconds("4h", office) == 4 * H
    assert duration_seconds("30m", office) == 1800
    assert duration_seconds("2d", office) == 18 * H
    with pytest.raises(CalendarError):
        duration_seconds("soon", office)


@pytest.mark.parametrize("spec, zone", [("weekdays 9-18", "Europe/Paris"), ("mon-fri 18:00-09:00", "Europe/Paris"),
                                        ("mon-fri 09:00-25:00", "Europe/Paris"), ("", "Europe/Paris"),
                                        ("mon-fri 09:00-18:00", "Mars/Olympus")])
def test_bad_calendars_are_refused(spec, zone):
    with pytest.raises(CalendarError):
        Calendar.parse(spec, zone)


def test_bad_holidays_and_naive_times_are_refused(office):
    with pytest.raises(CalendarError):
        Calendar.parse("mon-fri 09:00-18:00", "UTC", "christmas")
    with pytest.raises(ValueError):
        office.add(datetime(2026, 12, 2, 10), H)

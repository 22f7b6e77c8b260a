"""The moves table (who may make each move) and the request clock: targets per severity, the pause
while waiting for the customer, the states the queue filters by."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portalkit.errors import PortalError
from support import clock, moves
from support.models import SupportRequest
from support.settings import SupportSettings, parse_targets

PARIS = ZoneInfo("Europe/Paris")
H = 3600


def test_every_status_is_reachable_and_every_move_names_known_actors():
    reached = {target for (_, target) in moves.MOVES}
    assert reached == set(moves.STATUSES) - {moves.NEW}
    assert all(actors <= set(moves.ACTORS) and actors for actors in moves.MOVES.values())


@pytest.mark.parametrize("current, target, actor, allowed", [
    ("new", "in_progress", "operator", True),
    ("new", "in_progress", "client", False),
    ("in_progress", "waiting_for_customer", "client", False),
    ("in_progress", "resolved", "client", True),
    ("resolved", "reopened", "client", True),
    ("resolved", "reopened", "operator", False),
    ("closed", "reopened", "client", True),
    ("closed", "in_progress", "operator", False),
    ("resolved", "closed", "system", True),
    ("new", "closed", "system", False),
    ("waiting_for_customer", "in_progress", "system", True),
])
def test_the_table_says_who_may_move(current, target, actor, allowed):
    assert moves.allowed(current, target, actor) is allowed


def test_a_refused_move_is_409_and_an_unknown_status_400():
    with pytest.raises(PortalError) as refused:
        moves.check("closed", "resolved", "client")
    assert (refused.value.status, refused.value.code) == (409, "move_not_allowed")
    with pytest.raises(PortalError) as unknown:
        moves.check("new", "done", "operator")
    assert unknown.value.status == 400
    assert moves.targets("resolved", "client") == ["closed", "reopened"]


@pytest.fixture
def settings(monkeypatch):
    for name in ("PORTAL_SUPPORT_BUSINESS_HOURS", "PORTAL_SUPPORT_TIME_ZONE", "PORTAL_SUPPORT_TARGETS",
                 "PORTAL_SUPPORT_HOLIDAYS"):
        monkeypatch.delenv(name, raising=False)
    return SupportSettings.load()


def _request(severity: str, now: datetime, settings) -> SupportRequest:
    request = SupportRequest(severity=severity, status="new")
    clock.start(request, now, settings)
    return request


def test_targets_per_severity_in_business_time(settings):
    monday_ten = datetime(2026, 12, 7, 10, tzinfo=PARIS)
    blocking = _request("blocking", monday_ten, settings)
    assert blocking.first_response_due == datetime(2026, 12, 7, 14, tzinfo=PARIS)
    assert blocking.resolution_due == datetime(2026, 12, 8, 10, tzinfo=PARIS)  # one working day
    assert blocking.first_response_risk_at == datetime(2026, 12, 7, 13, tzinfo=PARIS)
    friday_five = datetime(2026, 12, 11, 17, tzinfo=PARIS)
    assert _request("blocking", friday_five, settings).first_response_due == datetime(2026, 12, 14, 12, tzinfo=PARIS)


def test_targets_read_from_the_setting(settings):
    targets = parse_targets("blocking=1h/2h", settings.calendar)
    assert targets["blocking"] == (H, 2 * H) and targets["minor"] == (18 * H, 90 * H)


def test_clock_states_over_time(settings):
    start = datetime(2026, 12, 7, 10, tzinfo=PARIS)
    request = _request("blocking", start, settings)
    assert clock.state(request, start) == "on_time"
    assert clock.state(request, start + timedelta(hours=3, minutes=30)) == "at_risk"
    assert clock.state(request, start + timedelta(hours=4)) == "breached"
    clock.responded(request, start + timedelta(hours=1))
    assert clock.running_target(request) == "resolution"
    assert clock.state(request, start + timedelta(hours=4)) == "on_time"
    request.status = "resolved"
    assert clock.state(request, start + timedelta(days=9)) is None


def test_waiting_for_the_customer_pauses_the_clock(settings):
    start = datetime(2026, 12, 7, 10, tzinfo=PARIS)  # Monday
    request = _request("blocking", start, settings)
    clock.responded(request, start + timedelta(hours=1))
    # Waiting from Monday 12:00 (resolution due Tuesday 10:00: 7 business hours left) …
    clock.moved(request, "in_progress", "waiting_for_customer", start + timedelta(hours=2), settings)
    request.status = "waiting_for_customer"
    assert clock.state(request, start + timedelta(days=3)) == "paused"
    shown = clock.view(request, datetime(2026, 12, 9, 9, tzinfo=PARIS), settings)
    assert shown["paused"] and shown["resolution_due"] == datetime(2026, 12, 9, 16, tzinfo=PARIS)
    # … until the customer answers on Wednesday 09:00: due 7 business hours later, 16:00.
    clock.moved(request, "waiting_for_customer", "in_progress", datetime(2026, 12, 9, 9, tzinfo=PARIS), settings)
    request.status = "in_progress"
    assert request.paused_at is None
    assert request.resolution_due == datetime(2026, 12, 9, 16, tzinfo=PARIS)
    assert clock.state(request, datetime(2026, 12, 9, 15, 30, tzinfo=PARIS)) == "at_risk"


def test_a_pause_after_the_deadline_leaves_it_breached(settings):
    start = datetime(2026, 12, 7, 10, tzinfo=PARIS)
    request = _request("blocking", start, settings)
    late = datetime(2026, 12, 8, 12, tzinfo=PARIS)
    clock.moved(request, "new", "waiting_for_customer", late, settings)
    clock.moved(request, "waiting_for_customer", "in_progress", late + timedelta(days=2), settings)
    assert request.first_response_due == datetime(2026, 12, 7, 14, tzinfo=PARIS)


def test_reopening_restarts_the_resolution_target(settings):
    start = datetime(2026, 12, 7, 10, tzinfo=PARIS)
    request = _request("major", start, settings)
    later = datetime(2026, 12, 21, 10, tzinfo=PARIS)
    clock.moved(request, "resolved", "reopened", later, settings)
    assert request.resolution_due == settings.calendar.add(later, settings.targets["major"][1])

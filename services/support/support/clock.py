"""The support clock of a request: its first-response and resolution targets (per severity, in
business time: ``business_hours``), paused while the request waits for the customer, stopped once it
is resolved or closed, restarted for the resolution when it is reopened.

Each target is kept as two moments: when it is due, and when it turns "at risk" (``AT_RISK_SHARE``
of its business time spent). A pause moves both on by the business time it covered, so the queue
filters by clock state in SQL with plain comparisons. ``now`` is always passed in: tests (and the
auto-close job) drive the clock without waiting.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, false, text

from .models import CLOCK_RUNS, SupportRequest
from .moves import FINISHED_STATUSES, PAUSED_STATUSES
from .settings import SupportSettings

AT_RISK_SHARE = 0.75
CLOCK_STATES = ("on_time", "at_risk", "breached")


def start(request: SupportRequest, now: datetime, settings: SupportSettings) -> None:
    """Set both targets from ``now`` (a new request)."""
    first, resolution = settings.targets[request.severity]
    calendar = settings.calendar
    request.first_response_due = calendar.add(now, first)
    request.first_response_risk_at = calendar.add(now, first * AT_RISK_SHARE)
    _restart_resolution(request, now, settings, resolution)


def _restart_resolution(request: SupportRequest, now: datetime, settings: SupportSettings,
                        resolution: float | None = None) -> None:
    resolution = settings.targets[request.severity][1] if resolution is None else resolution
    request.resolution_due = settings.calendar.add(now, resolution)
    request.resolution_risk_at = settings.calendar.add(now, resolution * AT_RISK_SHARE)


def responded(request: SupportRequest, now: datetime) -> None:
    """The first operator answer (or decision) the client sees: the first-response target is met."""
    if request.first_response_at is None:
        request.first_response_at = now


def moved(request: SupportRequest, previous: str, status: str, now: datetime, settings: SupportSettings) -> None:
    """Follow a status move: pause when waiting for the customer, resume after, restart on reopening."""
    if status in PAUSED_STATUSES and request.paused_at is None:
        request.paused_at = now
    elif status not in PAUSED_STATUSES and request.paused_at is not None:
        _resume(request, now, settings)
    if status == "reopened":
        _restart_resolution(request, now, settings)


def _resume(request: SupportRequest, now: datetime, settings: SupportSettings) -> None:
    """Move every moment still ahead at the pause's start on by what was left of it then."""
    calendar, paused_at = settings.calendar, request.paused_at
    for name in ("first_response_due", "first_response_risk_at", "resolution_due", "resolution_risk_at"):
        moment = getattr(request, name)
        if moment > paused_at:
            setattr(request, name, calendar.add(now, calendar.between(paused_at, moment)))
    request.paused_at = None


def running_target(request: SupportRequest) -> str | None:
    """``first_response`` until an operator answered, then ``resolution``; None once finished."""
    if request.status in FINISHED_STATUSES:
        return None
    return "first_response" if request.first_response_at is None else "resolution"


def state(request: SupportRequest, now: datetime) -> str | None:
    """on_time, at_risk, breached (of the running target), paused, or None once finished."""
    target = running_target(request)
    if target is None:
        return None
    if request.paused_at is not None:
        return "paused"
    due, risk = getattr(request, f"{target}_due"), getattr(request, f"{target}_risk_at")
    if now >= due:
        return "breached"
    return "at_risk" if now >= risk else "on_time"


def state_condition(wanted: str, now: datetime):
    """The SQL condition of ``state(request, now) == wanted`` (a queue filter)."""
    responding = SupportRequest.first_response_at.is_(None)
    due = case((responding, SupportRequest.first_response_due), else_=SupportRequest.resolution_due)
    risk = case((responding, SupportRequest.first_response_risk_at), else_=SupportRequest.resolution_risk_at)
    # Spelled with constants, as the partial index ``ix_support_requests_running_due`` is: the
    # planner uses an index only when the query's condition implies its predicate.
    running = text(" AND ".join(f"support_requests.{part}" for part in CLOCK_RUNS.split(" AND ")))
    if wanted == "breached":
        return and_(running, due <= now)
    if wanted == "at_risk":
        return and_(running, risk <= now, due > now)
    if wanted == "on_time":
        return and_(running, risk > now)
    if wanted == "paused":
        return and_(SupportRequest.paused_at.is_not(None), SupportRequest.status.not_in(FINISHED_STATUSES))
    return false()


def view(request: SupportRequest, now: datetime, settings: SupportSettings) -> dict:
    """The clock as the client and the operators see it ("answer expected by …"). While paused,
    the dues are those that would hold if the customer answered now."""
    first_due, resolution_due = request.first_response_due, request.resolution_due
    if request.paused_at is not None:
        calendar = settings.calendar
        if first_due > request.paused_at:
            first_due = calendar.add(now, calendar.between(request.paused_at, first_due))
        if resolution_due > request.paused_at:
            resolution_due = calendar.add(now, calendar.between(request.paused_at, resolution_due))
    finished = request.status in FINISHED_STATUSES
    return {
        "state": state(request, now),
        "running": running_target(request),
        "paused": request.paused_at is not None,
        "first_response_due": first_due,
        "first_response_at": request.first_response_at,
        "resolution_due": None if finished else resolution_due,
        "answer_expected_by": None if finished else (first_due if request.first_response_at is None
                                                     else resolution_due),
    }

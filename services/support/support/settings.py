"""support's own settings (environment variables), beside the mesh-wide ones of portalkit: the
attachments' limits, the reopen and auto-close windows, and the clock's calendar and targets."""
from __future__ import annotations

from dataclasses import dataclass

from portalkit.settings import SettingsError, env, env_float, env_int

from .business_hours import Calendar, CalendarError, duration_seconds

SEVERITIES = ("blocking", "major", "minor", "question")
# First response / resolution, in business time ("d" = one working day of the calendar).
DEFAULT_TARGETS = "blocking=4h/1d,major=8h/3d,minor=2d/10d,question=3d/15d"


@dataclass(frozen=True)
class SupportSettings:
    attachment_max_bytes: int  # each attachment (413 past it, nothing of the submission stored)
    attachments_max: int  # files in one submission
    reopen_days: int  # a resolved or closed request may be reopened this long after
    auto_close_days: int  # a resolved request closes by itself after this long without an answer
    auto_close_interval: float  # seconds between two runs of the worker's auto-close job
    calendar: Calendar
    # severity: (first response, resolution), business seconds
    targets: dict[str, tuple[float, float]]

    @classmethod
    def load(cls) -> "SupportSettings":
        try:
            calendar = Calendar.parse(env("PORTAL_SUPPORT_BUSINESS_HOURS", "mon-fri 09:00-18:00"),
                                      env("PORTAL_SUPPORT_TIME_ZONE", "Europe/Paris"),
                                      env("PORTAL_SUPPORT_HOLIDAYS", ""))
            targets = parse_targets(env("PORTAL_SUPPORT_TARGETS", DEFAULT_TARGETS), calendar)
        except CalendarError as error:
            raise SettingsError(str(error)) from None
        return cls(attachment_max_bytes=env_int("PORTAL_SUPPORT_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024),
                   attachments_max=env_int("PORTAL_SUPPORT_ATTACHMENTS_MAX", 10),
                   reopen_days=env_int("PORTAL_SUPPORT_REOPEN_DAYS", 30),
                   auto_close_days=env_int("PORTAL_SUPPORT_AUTO_CLOSE_DAYS", 7),
                   auto_close_interval=env_float("PORTAL_SUPPORT_AUTO_CLOSE_INTERVAL", 300.0),
                   calendar=calendar, targets=targets)


def parse_targets(text: str, calendar: Calendar) -> dict[str, tuple[float, float]]:
    """``"blocking=4h/1d,major=8h/3d,…"``; a severity not named keeps its default."""
    defaults = {} if text == DEFAULT_TARGETS else parse_targets(DEFAULT_TARGETS, calendar)
    targets = dict(defaults)
    for item in (part.strip() for part in text.split(",") if part.strip()):
        severity, _, pair = item.partition("=")
        first, _, resolution = pair.partition("/")
        severity = severity.strip()
        if severity not in SEVERITIES or not resolution:
            raise CalendarError(f"cannot read the target {item!r} (write e.g. blocking=4h/1d)")
        targets[severity] = (duration_seconds(first, calendar), duration_seconds(resolution, calendar))
    return targets

"""iCalendar (RFC 5545) for services planned at a time: timed events in their time zone (``TZID``
with its ``VTIMEZONE``), for a service's ``.ics`` answers and the mails that attach them
(assets' planning, notifications' planning mails build the same calendar from the same facts)."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODUCT_ID = "-//Client portal//Planning of services//EN"


def calendar(name: str, method: str = "PUBLISH") -> Calendar:
    """An empty calendar: ``method`` is PUBLISH (a feed, a planned or moved service) or CANCEL."""
    feed = Calendar()
    feed.add("prodid", PRODUCT_ID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", method)
    feed.add("x-wr-calname", name)
    return feed


def timed_event(*, uid: str, starts_at: datetime, ends_at: datetime, time_zone: str, summary: str,
                description: str = "", location: str | None = None, url: str | None = None,
                cancelled: bool = False, sequence: int = 0, modified: datetime | None = None) -> Event:
    """One VEVENT from ``starts_at`` to ``ends_at`` (aware), written in ``time_zone`` (IANA name)."""
    zone = ZoneInfo(time_zone)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime.now(timezone.utc))
    event.add("dtstart", starts_at.astimezone(zone))
    event.add("dtend", ends_at.astimezone(zone))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if modified is not None:
        event.add("last-modified", modified)
    return event


def to_ical(feed: Calendar) -> bytes:
    """The calendar's bytes, with a VTIMEZONE for every TZID its events use."""
    feed.add_missing_timezones()
    return feed.to_ical()

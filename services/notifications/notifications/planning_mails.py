"""Mails of the planning of services: a service planned, moved (old and new times) or cancelled
mails its recipient and the order's contact, each in their language, the times in the company's
time zone (named), a link to the service's page, and its ``.ics`` attached (``method=PUBLISH``,
or ``CANCEL`` for a cancellation) so that their calendar takes it.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from portalkit import ical
from portalkit.events import Event

from .compose import Attachment, Mail, link, mail_to
from .rendering import AT, TIME_FORMATS

KINDS = {"en": {"on_site": "On-site service", "training": "Training"},
         "fr": {"on_site": "Intervention sur site", "training": "Formation"}}


def moment(value: str | datetime | None, zone: str, language: str) -> str:
    """"3 December 2026 at 9:00 AM (Europe/Paris)": a time in the company's time zone, named."""
    if not value:
        return ""
    moment_ = datetime.fromisoformat(value) if isinstance(value, str) else value
    local = moment_.astimezone(ZoneInfo(zone))
    return (f"{format_date(local, 'long', locale=language)} {AT[language]} "
            f"{format_time(local, TIME_FORMATS[language], locale=language)}\u00a0({zone})")


def _ics(data: dict, language: str, base_url: str, cancelled: bool) -> Attachment:
    kind = KINDS[language][data["kind"]]
    feed = ical.calendar(kind, method="CANCEL" if cancelled else "PUBLISH")
    lines = [data.get("consultant") and f"Consultant: {data['consultant']}",
             data.get("meeting_url"), data.get("access_code") and f"Code: {data['access_code']}"]
    feed.add_component(ical.timed_event(
        uid=f"{data['intervention_id']}@planning", starts_at=datetime.fromisoformat(str(data["starts_at"])),
        ends_at=datetime.fromisoformat(str(data["ends_at"])), time_zone=data["time_zone"],
        summary=kind + (f": {data['subject']}" if data.get("subject") else ""),
        description="\n".join(line for line in lines if line),
        location=data.get("place") or data.get("meeting_url"),
        url=link(base_url, "planning", data["intervention_id"]), cancelled=cancelled,
        sequence=data.get("sequence") or 0))
    method = "CANCEL" if cancelled else "PUBLISH"
    return Attachment(filename="service.ics", content_type="text/calendar", content=ical.to_ical(feed),
                      params={"method": method, "charset": "utf-8"})


def _mails(kind: str, event: Event, base_url: str) -> list[Mail]:
    data = event.data
    cancelled = kind == "intervention_cancelled"
    people = [person for person in (data.get("recipient"), data.get("contact")) if person]
    mails, seen = [], set()
    for person in people:
        if person["user_id"] in seen:
            continue
        seen.add(person["user_id"])
        draft = mail_to(kind, person)
        language, zone = draft.language, data["time_zone"]
        context = {**draft.context, "what": KINDS[language][data["kind"]], "subject_line": data.get("subject") or "",
                   "starts": moment(data["starts_at"], zone, language), "ends": moment(data["ends_at"], zone, language),
                   "previous_starts": moment(data.get("previous_starts_at"), zone, language),
                   "previous_ends": moment(data.get("previous_ends_at"), zone, language),
                   "place": data.get("place") or "", "meeting_url": data.get("meeting_url") or "",
                   "access_code": data.get("access_code") or "", "consultant": data.get("consultant") or "",
                   "order_number": data.get("order_number") or "", "reason": data.get("reason") or "",
                   "as_contact": person is data.get("contact") and person["user_id"] != data["recipient"]["user_id"],
                   "recipient_name": " ".join(filter(None, (data["recipient"].get("first_name"),
                                                            data["recipient"].get("last_name")))),
                   "link": link(base_url, "planning", data["intervention_id"])}
        mails.append(Mail(kind=kind, to=draft.to, name=draft.name, language=language, context=context,
                          attachments=(_ics(data, language, base_url, cancelled),)))
    return mails


def planned(event: Event, base_url: str) -> list[Mail]:
    return _mails("intervention_planned", event, base_url)


def changed(event: Event, base_url: str) -> list[Mail]:
    return _mails("intervention_changed", event, base_url)


def cancelled(event: Event, base_url: str) -> list[Mail]:
    return _mails("intervention_cancelled", event, base_url)

"""A user's planning as iCalendar: one service's ``.ics``, and the user's feed (their services of
the past 90 days and to come). Calendar apps read the feed by the user's secret link of purpose
``planning`` (``feed_links``): the gateway serves ``/feeds/planning/<secret>.ics`` by reading
``GET /assets/planning/feed.ics`` as that user."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from portalkit import ical
from portalkit.db import utcnow

from . import planning
from .models import Intervention

FEED_DAYS_BACK = 90
WORDS = {"en": {"on_site": "On-site service", "training": "Training", "calendar": "Planning of services",
                "consultant": "Consultant", "order": "Order", "code": "Access code", "meeting": "Web meeting"},
         "fr": {"on_site": "Intervention sur site", "training": "Formation", "calendar": "Planning des prestations",
                "consultant": "Consultant", "order": "Commande", "code": "Code d'accès", "meeting": "Réunion web"}}


def feed_services(session: Session, user_id: str) -> list[Intervention]:
    """The user's services of the past 90 days and to come."""
    rows, _total = planning.of_user(session, user_id, utcnow() - timedelta(days=FEED_DAYS_BACK), None,
                                    per_page=10_000)
    return rows


def event(intervention: Intervention, language: str, base_url: str):
    words = WORDS.get(language, WORDS["en"])
    summary = words[intervention.kind] + (f": {intervention.subject}" if intervention.subject else "")
    lines = [f"{words['consultant']}: {intervention.consultant}" if intervention.consultant else "",
             f"{words['order']}: {intervention.order_number}" if intervention.order_number else "",
             f"{words['meeting']}: {intervention.meeting_url}" if intervention.meeting_url else "",
             f"{words['code']}: {intervention.access_code}" if intervention.access_code else ""]
    return ical.timed_event(uid=f"{intervention.id}@planning", starts_at=intervention.starts_at,
                            ends_at=intervention.ends_at, time_zone=intervention.time_zone, summary=summary,
                            description="\n".join(line for line in lines if line),
                            location=intervention.place or intervention.meeting_url,
                            url=f"{base_url}/planning/{intervention.id}",
                            cancelled=intervention.status == "cancelled", sequence=intervention.sequence,
                            modified=intervention.updated_at)


def calendar(interventions: list[Intervention], language: str, base_url: str) -> bytes:
    feed = ical.calendar(WORDS.get(language, WORDS["en"])["calendar"])
    for intervention in interventions:
        feed.add_component(event(intervention, language, base_url))
    return ical.to_ical(feed)

"""A user's planning as iCalendar: one service's ``.ics``, and the per-user feed behind a secret
link (only its SHA-256 is stored; renewing replaces it, so the old link answers 404 at once)."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit import ical
from portalkit.db import utcnow
from portalkit.errors import not_found

from . import planning
from .models import Intervention, PlanningFeedLink

FEED_DAYS_BACK = 90
WORDS = {"en": {"on_site": "On-site service", "training": "Training", "calendar": "Planning of services",
                "consultant": "Consultant", "order": "Order", "code": "Access code", "meeting": "Web meeting"},
         "fr": {"on_site": "Intervention sur site", "training": "Formation", "calendar": "Planning des prestations",
                "consultant": "Consultant", "order": "Commande", "code": "Code d'accès", "meeting": "Réunion web"}}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def renew(session: Session, user_id: str) -> tuple[str, PlanningFeedLink]:
    """A new secret for the user's feed (the old one, if any, stops working); committed."""
    secret = secrets.token_urlsafe(32)
    link = session.get(PlanningFeedLink, user_id)
    if link is None:
        link = PlanningFeedLink(user_id=user_id)
        session.add(link)
    link.secret_sha256, link.created_at = _digest(secret), utcnow()
    session.commit()
    return secret, link


def holder(session: Session, secret: str) -> str:
    """The user whose feed ``secret`` opens; 404 for an unknown or renewed one."""
    user_id = session.scalar(select(PlanningFeedLink.user_id).where(PlanningFeedLink.secret_sha256 == _digest(secret)))
    if user_id is None:
        raise not_found("feed")
    return user_id


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

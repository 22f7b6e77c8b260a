"""The planning of services in the administration trail of the company it concerns (assets plans,
identity keeps the trail): a service planned, changed or cancelled by an operator
(``InterventionPlanned`` / ``InterventionChanged`` / ``InterventionCancelled``, naming them in
``operator_id``). Only the kind, times and people's ids go in: the place and access codes are the
recipient's and the contact's to know, not the whole administration's.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from portalkit.events import Event

from . import operator_trail

LABELS = {"on_site": "On-site service", "training": "Training"}


def _entry(action: str):
    def handle(session: Session, event: Event) -> None:
        data = event.data
        starts = data["starts_at"]
        starts = datetime.fromisoformat(starts) if isinstance(starts, str) else starts
        label = f"{LABELS.get(data['kind'], data['kind'])} {starts.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"
        operator_trail._write(session, event, data["company_id"], action, data["intervention_id"], label,
                              kind=data["kind"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                              previous_starts_at=data.get("previous_starts_at"),
                              recipient_id=(data.get("recipient") or {}).get("user_id"),
                              contact_id=(data.get("contact") or {}).get("user_id"), reason=data.get("reason"))
    return handle


on_planned = _entry("intervention_planned")
on_changed = _entry("intervention_changed")
on_cancelled = _entry("intervention_cancelled")

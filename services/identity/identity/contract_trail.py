"""The operators' contract decisions in the company's administration trail.

assets records the contracts; identity keeps the trail. assets tells each operator's decision as
an event naming the operator (``ContractRecorded``, ``ContractEndScheduled``, ``ContractEnded``
with ``operator_id``), and these handlers write the trail entry in the consumer's transaction.
The gateway holds the operator's answer until identity has handled the event, so the trail shows
it on the next page. A contract ended by the calendar (no ``operator_id``) is no one's action: the
trail leaves it out.
"""
from __future__ import annotations

import json

from sqlalchemy.orm import Session

from portalkit.events import Event

from .models import AdministrationAudit, Company, User


def _write(session: Session, event: Event, action: str, **details) -> None:
    data = event.data
    operator_id = data.get("operator_id")
    if not operator_id or session.get(Company, data["company_id"]) is None:
        return
    operator = session.get(User, operator_id)
    session.add(AdministrationAudit(
        company_id=data["company_id"], actor_id=operator_id, action=action,
        actor_name=(operator.display_name if operator else operator_id)[:254],
        target_id=data["contract_id"], target_label="", occurred_at=event.occurred_at,
        details=json.dumps(details, default=str)))


def on_contract_recorded(session: Session, event: Event) -> None:
    _write(session, event, "contract_recorded", starts_on=event.data["starts_on"], ends_on=event.data.get("ends_on"))


def on_contract_end_scheduled(session: Session, event: Event) -> None:
    _write(session, event, "contract_end_scheduled", ends_on=event.data["ends_on"])


def on_contract_ended(session: Session, event: Event) -> None:
    _write(session, event, "contract_ended", ended_on=event.data["ended_on"])

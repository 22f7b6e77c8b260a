"""The operators' decisions taken in other services, in the administration trail of the company
they touch.

assets records the contracts and the catalog its services; identity keeps the trail. Each of
those services tells an operator's decision as an event naming the operator (``operator_id``):
``ContractRecorded``, ``ContractEndScheduled``, ``ContractEnded``; ``ServicePublished`` and
``ServiceRetired`` of a service of one company's alone (``scope_company_id``); a company's holdings
recorded, changed or removed (``HoldingRecorded``, ``HoldingRemoved``). These handlers
write the trail entry in the consumer's transaction; the gateway holds the operator's answer
until identity has handled the event, so the trail shows it on the next page. What no operator
did (a contract ended by the calendar, a supervision service the catalog added) is left out.
"""
from __future__ import annotations

import json

from sqlalchemy.orm import Session

from portalkit.events import Event

from .models import AdministrationAudit, Company, User


def _write(session: Session, event: Event, company_id: str | None, action: str, target_id: str,
           target_label: str = "", **details) -> None:
    operator_id = event.data.get("operator_id")
    if not operator_id or not company_id or session.get(Company, company_id) is None:
        return
    operator = session.get(User, operator_id)
    session.add(AdministrationAudit(
        company_id=company_id, actor_id=operator_id, action=action,
        actor_name=(operator.display_name if operator else operator_id)[:254],
        target_id=target_id, target_label=target_label[:254], occurred_at=event.occurred_at,
        details=json.dumps(details, default=str)))


def on_contract_recorded(session: Session, event: Event) -> None:
    data = event.data
    _write(session, event, data["company_id"], "contract_recorded", data["contract_id"],
           starts_on=data["starts_on"], ends_on=data.get("ends_on"))


def on_contract_end_scheduled(session: Session, event: Event) -> None:
    data = event.data
    _write(session, event, data["company_id"], "contract_end_scheduled", data["contract_id"], ends_on=data["ends_on"])


def on_contract_ended(session: Session, event: Event) -> None:
    data = event.data
    _write(session, event, data["company_id"], "contract_ended", data["contract_id"], ended_on=data["ended_on"])


def on_service_published(session: Session, event: Event) -> None:
    data = event.data
    _write(session, event, data.get("scope_company_id"), "service_created" if data["created"] else "service_updated",
           data["service_id"], data["title_en"], code=data["code"])


def on_service_retired(session: Session, event: Event) -> None:
    data = event.data
    _write(session, event, data.get("scope_company_id"), "service_retired", data["service_id"], data["code"])


def on_holding_recorded(session: Session, event: Event) -> None:
    data = event.data
    _write(session, event, data["company_id"], "holding_recorded" if data.get("created") else "holding_changed",
           data["holding_id"], data["product_code"], quantity=data["quantity"], machine_id=data.get("machine_id"))


def on_holding_removed(session: Session, event: Event) -> None:
    data = event.data
    _write(session, event, data["company_id"], "holding_removed", data["holding_id"],
           data.get("product_code") or "")

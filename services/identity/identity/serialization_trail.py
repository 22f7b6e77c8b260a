"""Serialization in the administration trail of the company it concerns (assets issues the codes,
identity keeps the trail): every issue of codes (``SerializationCodesIssued``, by a user of the
company or on an operator's approval), every identifier change asked (``IdentifierChangeRequested``)
and decided (``IdentifierChangeDecided``). As ``operator_trail``, the entry is written in the
consumer's transaction and the gateway holds assets' answer until it is.
"""
from __future__ import annotations

import json

from sqlalchemy.orm import Session

from portalkit.events import Event

from .models import AdministrationAudit, Company, User


def _write(session: Session, event: Event, actor_id: str | None, action: str, target_id: str,
           target_label: str, **details) -> None:
    company_id = event.data["company_id"]
    if not actor_id or session.get(Company, company_id) is None:
        return
    actor = session.get(User, actor_id)
    session.add(AdministrationAudit(
        company_id=company_id, actor_id=actor_id, action=action,
        actor_name=(actor.display_name if actor else actor_id)[:254],
        target_id=target_id[:64], target_label=target_label[:254], occurred_at=event.occurred_at,
        details=json.dumps(details, default=str)))


def on_codes_issued(session: Session, event: Event) -> None:
    data = event.data
    actor = data.get("operator_id") or data.get("user_id")
    _write(session, event, actor, "serialization_codes_issued", data["machine_id"], data["machine_id"],
           codes=[{"code_id": c["code_id"], "holding_id": c["holding_id"], "product": c["product"]}
                  for c in data["codes"]], change_id=data.get("change_id"), requested_by=data.get("user_id"))


def on_change_requested(session: Session, event: Event) -> None:
    data = event.data
    _write(session, event, data["user_id"], "identifier_change_requested", data["change_id"], data["new_machine_id"],
           reason=data.get("reason"), holdings=data["holdings"])


def on_change_decided(session: Session, event: Event) -> None:
    data = event.data
    _write(session, event, data["operator_id"], f"identifier_change_{data['decision']}", data["change_id"],
           data["new_machine_id"], reason=data.get("reason"), requested_by=data["user_id"])

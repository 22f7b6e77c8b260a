"""The events identity consumes, and what each one does: ``HANDLERS``, for the worker.

catalog's grants and ends of subscriptions feed two read-models: the administrators (for
"User Management - Administration" and its supervision: the administrators list, the
last-administrator rule), the interests (the "Functional preference: …" and "Receive …"
services: the contacts' interests) and the declarative holdings (the Etafi services that let a
user be tied to a declarant account); operators' decisions in assets and the catalog go to the
trail of the company they touch (``operator_trail``), and so do serialization
(``serialization_trail``) and the planning of services (``planning_trail``).
"""
from sqlalchemy.orm import Session

from portalkit.events import Event

from . import administrators, declarative_holdings, interests, operator_trail, planning_trail, serialization_trail


def on_subscription_accepted(session: Session, event: Event) -> None:
    administrators.on_subscription_accepted(session, event)
    interests.on_subscription_accepted(session, event)
    declarative_holdings.on_subscription_accepted(session, event)


def on_subscription_ended(session: Session, event: Event) -> None:
    administrators.on_subscription_ended(session, event)
    interests.on_subscription_ended(session, event)
    declarative_holdings.on_subscription_ended(session, event)


HANDLERS = {
    "catalog.SubscriptionAccepted": on_subscription_accepted,
    "catalog.SubscriptionCancelled": on_subscription_ended,
    "catalog.SubscriptionExpired": on_subscription_ended,
    "catalog.ServicePublished": operator_trail.on_service_published,
    "catalog.ServiceRetired": operator_trail.on_service_retired,
    "assets.ContractRecorded": operator_trail.on_contract_recorded,
    "assets.ContractEndScheduled": operator_trail.on_contract_end_scheduled,
    "assets.ContractEnded": operator_trail.on_contract_ended,
    "assets.HoldingRecorded": operator_trail.on_holding_recorded,
    "assets.HoldingRemoved": operator_trail.on_holding_removed,
    "assets.SerializationCodesIssued": serialization_trail.on_codes_issued,
    "assets.IdentifierChangeRequested": serialization_trail.on_change_requested,
    "assets.IdentifierChangeDecided": serialization_trail.on_change_decided,
    "assets.InterventionPlanned": planning_trail.on_planned,
    "assets.InterventionChanged": planning_trail.on_changed,
    "assets.InterventionCancelled": planning_trail.on_cancelled,
}

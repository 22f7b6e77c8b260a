"""The events the catalog consumes (identity's and assets'), and what each one does: ``HANDLERS``."""
from __future__ import annotations

from sqlalchemy.orm import Session

from portalkit.events import Event

from . import clock, contracts, directory, grants, supervision

RECIPIENT_FIELDS = ("user_id", "email", "first_name", "last_name", "language")


def on_company_registered(session: Session, event: Event) -> None:
    data = event.data
    directory.record_company(session, data["company_id"], data["number"], data["name"], data.get("parent_id"))


def on_associate_linked(session: Session, event: Event) -> None:
    data = event.data
    directory.link_associate(session, data["company_id"], data["associate_id"], data["associate_name"])
    supervision.on_associate_linked(session, data["company_id"], data["associate_id"], data["associate_name"])


def on_user_activated(session: Session, event: Event) -> None:
    member = directory.record_member(session, event.data)
    grants.grant_on_activation(session, member, event.data["company_administrator"])


def on_user_updated(session: Session, event: Event) -> None:
    member = directory.record_member(session, event.data)
    grants.end_beyond_level(session, member)


def on_user_deleted(session: Session, event: Event) -> None:
    recipient = {name: event.data[name] for name in RECIPIENT_FIELDS if name in event.data}
    grants.cancel_all(session, event.data["user_id"], recipient)
    directory.forget_member(session, event.data["user_id"])


def on_contract_activated(session: Session, event: Event) -> None:
    contract = contracts.record_activated(session, event.data)
    if contracts.holds_contract(session, contract.company_id, clock.today()):
        grants.grant_contract_services(session, contract.company_id)


def on_contract_ended(session: Session, event: Event) -> None:
    contract = contracts.record_ended(session, event.data)
    contracts.on_contract_ended(session, contract.company_id)


HANDLERS = {
    "identity.CompanyRegistered": on_company_registered,
    "identity.AssociateLinked": on_associate_linked,
    "identity.UserActivated": on_user_activated,
    "identity.UserUpdated": on_user_updated,
    "identity.UserDeleted": on_user_deleted,
    "assets.ContractActivated": on_contract_activated,
    "assets.ContractEnded": on_contract_ended,
}

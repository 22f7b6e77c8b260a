"""The events the catalog consumes (identity's and assets'), and what each one does: ``HANDLERS``.

identity's companies and members are kept by portalkit's directory (``directory.IDENTITY``); the
catalog's own reactions come on top: grants prepared at a user's creation and completed at their
activation, ends when a level drops or a user goes, supervision services as associates link.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from portalkit.events import Event

from . import clock, contracts, grants, supervision
from .directory import IDENTITY

RECIPIENT_FIELDS = ("user_id", "email", "first_name", "last_name", "language")


def on_associate_linked(session: Session, event: Event) -> None:
    data = event.data
    IDENTITY.on_associate_linked(session, event)
    supervision.on_associate_linked(session, data["company_id"], data["associate_id"], data["associate_name"])


def on_associate_unlinked(session: Session, event: Event) -> None:
    IDENTITY.on_associate_unlinked(session, event)
    supervision.on_associate_unlinked(session, event.data["company_id"], event.data["associate_id"])


def on_user_created(session: Session, event: Event) -> None:
    """Know the user at once, and prepare what their activation grants (in force once they can
    sign in): an administrator may subscribe them right after creating them."""
    member = IDENTITY.on_user_created(session, event)
    if member is not None:  # None: deleted already
        grants.grant_to_new_member(session, member, event.data["company_administrator"])


def on_user_activated(session: Session, event: Event) -> None:
    member = IDENTITY.on_user_activated(session, event)
    if member is not None:
        # What UserCreated prepared is not granted twice; this grants what it could not know.
        grants.grant_to_new_member(session, member, event.data["company_administrator"])


def on_user_updated(session: Session, event: Event) -> None:
    member = IDENTITY.on_user_updated(session, event)
    if member is not None:
        grants.end_beyond_level(session, member)


def on_user_deleted(session: Session, event: Event) -> None:
    recipient = {name: event.data[name] for name in RECIPIENT_FIELDS if name in event.data}
    grants.cancel_all(session, event.data["user_id"], recipient)
    IDENTITY.on_user_deleted(session, event)


def on_contract_activated(session: Session, event: Event) -> None:
    contract = contracts.record_activated(session, event.data)
    if contracts.holds_contract(session, contract.company_id, clock.today()):
        grants.grant_contract_services(session, contract.company_id)


def on_contract_ended(session: Session, event: Event) -> None:
    contract = contracts.record_ended(session, event.data)
    contracts.on_contract_ended(session, contract.company_id)


HANDLERS = {
    "identity.CompanyRegistered": IDENTITY.on_company_registered,
    "identity.AssociateLinked": on_associate_linked,
    "identity.AssociateUnlinked": on_associate_unlinked,
    "identity.UserCreated": on_user_created,
    "identity.UserActivated": on_user_activated,
    "identity.UserUpdated": on_user_updated,
    "identity.UserDeleted": on_user_deleted,
    "assets.ContractActivated": on_contract_activated,
    "assets.ContractEnded": on_contract_ended,
}

"""The events support consumes (identity's), and what each one does: ``HANDLERS``."""
from __future__ import annotations

from sqlalchemy.orm import Session

from portalkit.events import Event

from . import directory


def on_company_registered(session: Session, event: Event) -> None:
    data = event.data
    directory.record_company(session, data["company_id"], data["number"], data["name"], data.get("parent_id"))


def on_associate_linked(session: Session, event: Event) -> None:
    data = event.data
    directory.link_associate(session, data["company_id"], data["associate_id"], data["associate_name"])


def on_user_changed(session: Session, event: Event) -> None:
    """UserActivated and UserUpdated: the member's display name, address and language."""
    directory.record_member(session, event.data)


def on_user_deleted(session: Session, event: Event) -> None:
    directory.forget_member(session, event.data["user_id"])


HANDLERS = {
    "identity.CompanyRegistered": on_company_registered,
    "identity.AssociateLinked": on_associate_linked,
    "identity.UserActivated": on_user_changed,
    "identity.UserUpdated": on_user_changed,
    "identity.UserDeleted": on_user_deleted,
}

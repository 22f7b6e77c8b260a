"""The events assets consumes (identity's), and what each one does: ``HANDLERS``.

identity's companies and their associates' tree, and its users (the requesters of identifier
changes, mailed the decision), are kept by portalkit's directory.
"""
from sqlalchemy import delete
from sqlalchemy.orm import Session

from portalkit.directory import IdentityDirectory
from portalkit.events import Event

from .models import Company, FeedLink, ForgottenMember, Member

IDENTITY = IdentityDirectory(Company, Member, ForgottenMember)


def on_user_deleted(session: Session, event: Event):
    """Forget the member and their secret feed links: nothing of theirs is served any more."""
    session.execute(delete(FeedLink).where(FeedLink.user_id == event.data["user_id"]))
    return IDENTITY.on_user_deleted(session, event)


HANDLERS = {**IDENTITY.handlers("CompanyRegistered", "AssociateLinked", "AssociateUnlinked",
                                "UserCreated", "UserActivated", "UserUpdated"),
            "identity.UserDeleted": on_user_deleted}

"""What the gateway does with the events it hears: its read-models and the sessions they affect.

Each handler runs in the consumer's transaction and is safe to run twice. A change to what a
user's sessions grant bumps their revision, so every gateway process re-reads them at once.
"""
from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.events import Event

from .models import CatalogService, Company, Entitlement
from .sessions import bump_revision, end_sessions_of


def on_subscription_accepted(session: Session, event: Event) -> None:
    data, at = event.data, event.occurred_at
    entitlement = session.get(Entitlement, data["subscription_id"])
    if entitlement is None:
        session.add(Entitlement(subscription_id=data["subscription_id"], user_id=data["user_id"],
                                service_code=data["service_code"],
                                scope_company_id=data["scope_company_id"], granted_at=at))
    elif entitlement.ended_at is not None and at > entitlement.ended_at:
        entitlement.granted_at, entitlement.ended_at = at, None  # accepted again since it ended
    else:
        return  # held already, or an acceptance older than the end that was handled first
    bump_revision(session, data["user_id"])


def on_subscription_ended(session: Session, event: Event) -> None:
    """A cancelled or expired subscription: the right ends on the holder's next request."""
    data, at = event.data, event.occurred_at
    entitlement = session.get(Entitlement, data["subscription_id"])
    if entitlement is None:
        # Ended before its acceptance arrived: recorded, so that the late acceptance is void.
        session.add(Entitlement(subscription_id=data["subscription_id"], user_id=data["user_id"],
                                service_code=data["service_code"],
                                scope_company_id=data["scope_company_id"], ended_at=at))
    elif entitlement.ended_at is None:
        if entitlement.granted_at is not None and at < entitlement.granted_at:
            return  # an end older than the acceptance in force
        entitlement.ended_at = at
        bump_revision(session, entitlement.user_id)
    elif at > entitlement.ended_at:
        entitlement.ended_at = at


def on_user_deleted(session: Session, event: Event) -> None:
    user_id = event.data["user_id"]
    end_sessions_of(session, user_id)
    session.execute(update(Entitlement)
                    .where(Entitlement.user_id == user_id, Entitlement.ended_at.is_(None))
                    .values(ended_at=utcnow()))


def on_sessions_ended(session: Session, event: Event) -> None:
    end_sessions_of(session, event.data["user_id"], event.data.get("except_session_id"))


def on_user_updated(session: Session, event: Event) -> None:
    data = event.data
    display_name = f"{data.get('first_name') or ''} {data.get('last_name') or ''}".strip() \
        or (data.get("email") or "")
    bump_revision(session, data["user_id"], language=data.get("language") or "en",
                  display_name=display_name)


def on_company_registered(session: Session, event: Event) -> None:
    data = event.data
    company = session.get(Company, data["company_id"])
    if company is None:
        session.add(Company(id=data["company_id"], number=data["number"], name=data["name"]))
    else:
        company.number, company.name = data["number"], data["name"]


def on_service_published(session: Session, event: Event) -> None:
    data = event.data
    service = session.get(CatalogService, data["code"]) or CatalogService(code=data["code"])
    service.service_id, service.family = data["service_id"], data["family"]
    service.title_en, service.title_fr = data["title_en"], data.get("title_fr") or ""
    service.retired = False
    session.add(service)


def on_service_retired(session: Session, event: Event) -> None:
    # Only the menus change: catalog ends the subscriptions themselves if rights end with it.
    service = session.get(CatalogService, event.data["code"])
    if service is not None:
        service.retired = True


HANDLERS = {
    "catalog.SubscriptionAccepted": on_subscription_accepted,
    "catalog.SubscriptionCancelled": on_subscription_ended,
    "catalog.SubscriptionExpired": on_subscription_ended,
    "catalog.ServicePublished": on_service_published,
    "catalog.ServiceRetired": on_service_retired,
    "identity.UserDeleted": on_user_deleted,
    "identity.SessionsEnded": on_sessions_ended,
    "identity.UserUpdated": on_user_updated,
    "identity.CompanyRegistered": on_company_registered,
}

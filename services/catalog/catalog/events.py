"""What the catalog tells the rest of the portal, always through its outbox."""
from __future__ import annotations

from sqlalchemy.orm import Session

from portalkit.outbox import Outbox

from .models import OutboxMessage, Service, Subscription

outbox = Outbox("catalog", OutboxMessage)


def subscription_fact(subscription: Subscription, service: Service, recipient: dict) -> dict:
    """The data of every Subscription* event (contract ``SubscriptionFact``).

    The title is in the subscriber's language: the mail that follows is written in it.
    """
    return {**recipient, "subscription_id": subscription.id, "service_id": service.id,
            "service_code": service.entitlement_code, "service_title": service.title(recipient.get("language", "en")),
            "company_id": subscription.company_id, "scope_company_id": subscription.scope_company_id,
            "expires_on": subscription.expires_on}


def tell(session: Session, event_type: str, subscription: Subscription, service: Service,
         recipient: dict, **extra) -> None:
    """Record a Subscription* event in the caller's transaction."""
    outbox.add(session, event_type, {**subscription_fact(subscription, service, recipient), **extra})


def service_published(session: Session, service: Service, operator_id: str | None = None,
                      created: bool = False) -> None:
    """Announce a new or changed service; an operator's own change names them (for the trail of the
    company a service of one company's alone belongs to: identity keeps it)."""
    data = {"service_id": service.id, "code": service.code, "family": service.family,
            "title_en": service.title_en, "title_fr": service.title_fr,
            "scope_company_id": service.scope_company_id}
    if operator_id:
        data.update(operator_id=operator_id, created=created)
    outbox.add(session, "ServicePublished", data)


def service_retired(session: Session, service: Service, operator_id: str | None = None) -> None:
    data = {"service_id": service.id, "code": service.code, "scope_company_id": service.scope_company_id}
    if operator_id:
        data["operator_id"] = operator_id
    outbox.add(session, "ServiceRetired", data)

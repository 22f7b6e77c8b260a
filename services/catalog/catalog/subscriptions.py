"""Use cases of one's own subscriptions: list them, subscribe to a service, unsubscribe."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.errors import PortalError, forbidden, not_found
from portalkit.signed_identity import Identity

from .directory import administrators_of
from .events import tell
from .families import SECURITY_LEVELS, family_title
from .models import ACCEPTED, CANCELLED, LIVE, PENDING, Member, Service, Subscription
from .offer import is_offered, text_columns

# Why a subscription ended, when no administrator wrote a reason (stable codes).
UNSUBSCRIBED = "unsubscribed"


def member_of(session: Session, identity: Identity) -> Member:
    """The caller as a member of a client company; the catalog learns of them at activation."""
    if identity.company_id is None:
        raise forbidden("Only the users of a client company subscribe to services.", "not_a_company_user")
    member = session.get(Member, identity.user_id)
    if member is None:
        # identity's UserActivated has not reached the catalog yet: a matter of moments.
        raise PortalError(409, "member_unknown",
                          "The catalog does not know your account yet; try again in a moment.")
    return member


def live_subscription(session: Session, service_id: str, user_id: str,
                      scope_company_id: str) -> Subscription | None:
    """The subscription ``user_id`` holds or has requested for this service and company."""
    return session.scalar(select(Subscription).where(
        Subscription.service_id == service_id, Subscription.user_id == user_id,
        Subscription.scope_company_id == scope_company_id, Subscription.status.in_(LIVE)))


def subscribe(session: Session, identity: Identity, service_id: str) -> Subscription:
    """Subscribe the caller for their company: accepted at once, or pending an administrator."""
    member = member_of(session, identity)
    service = session.get(Service, service_id)
    if service is None or not is_offered(service, member.company_id):
        raise not_found("service")
    needed = service.min_security_level
    if member.security_level < needed:
        raise PortalError(403, "security_level_too_low",
                          f"This service needs password security level {needed} "
                          f"({SECURITY_LEVELS[needed]}); yours is {member.security_level}.")
    if live_subscription(session, service.id, member.user_id, member.company_id) is not None:
        raise _already_subscribed()
    now = utcnow()
    status = PENDING if service.needs_validation else ACCEPTED
    subscription = Subscription(service_id=service.id, user_id=member.user_id,
                                company_id=member.company_id, scope_company_id=member.company_id,
                                status=status, requested_at=now,
                                decided_at=None if status == PENDING else now)
    try:
        session.add(subscription)
        session.flush()
        if status == PENDING:
            administrators = administrators_of(session, subscription.scope_company_id)
            tell(session, "SubscriptionRequested", subscription, service, member.recipient(),
                 administrators=[administrator.recipient() for administrator in administrators])
        else:
            tell(session, "SubscriptionAccepted", subscription, service, member.recipient())
        session.commit()
    except IntegrityError:  # a concurrent request for the same service won
        session.rollback()
        raise _already_subscribed() from None
    return subscription


def cancel(session: Session, subscription: Subscription, service: Service, recipient: dict,
           reason: str) -> None:
    """End a live subscription and tell the portal (the right ends at the gateway)."""
    subscription.status, subscription.decided_at, subscription.reason = CANCELLED, utcnow(), reason
    tell(session, "SubscriptionCancelled", subscription, service, recipient)


def unsubscribe(session: Session, identity: Identity, subscription_id: str) -> None:
    """Cancel one of the caller's own subscriptions; an ended one stays as it is."""
    subscription = session.get(Subscription, subscription_id)
    if subscription is None or subscription.user_id != identity.user_id:
        raise not_found("subscription")
    if subscription.status not in LIVE:
        return
    member = session.get(Member, identity.user_id)
    recipient = member.recipient() if member else {
        "user_id": identity.user_id, "email": None, "language": identity.language}
    cancel(session, subscription, session.get(Service, subscription.service_id), recipient, UNSUBSCRIBED)
    session.commit()


def my_subscriptions(session: Session, identity: Identity, query: dict) -> tuple[list[dict], int]:
    """The caller's subscriptions, newest first, with the service's title in their language."""
    title = text_columns(identity.language)[0]
    conditions = [Subscription.user_id == identity.user_id]
    if query.get("status"):
        conditions.append(Subscription.status == query["status"])
    if query.get("family"):
        conditions.append(Service.family == query["family"])
    if query.get("q"):
        conditions.append(func.lower(title).contains(query["q"].lower(), autoescape=True))
    joined = select(Subscription, Service).join(Service, Service.id == Subscription.service_id)
    total = session.scalar(select(func.count()).select_from(joined.where(*conditions).subquery()))
    page, per_page = query["page"], query["per_page"]
    rows = session.execute(joined.where(*conditions)
                           .order_by(Subscription.requested_at.desc(), Subscription.id)
                           .offset((page - 1) * per_page).limit(per_page))
    return [_describe(subscription, service, identity.language) for subscription, service in rows], total


def _describe(subscription: Subscription, service: Service, language: str) -> dict:
    return {"id": subscription.id, "service_id": service.id, "service_code": service.code,
            "service_title": service.title(language), "family": service.family,
            "family_title": family_title(service.family, language), "status": subscription.status,
            "scope_company_id": subscription.scope_company_id,
            "requested_at": subscription.requested_at, "decided_at": subscription.decided_at,
            "expires_on": subscription.expires_on, "reason": subscription.reason}


def _already_subscribed() -> PortalError:
    return PortalError(409, "already_subscribed", "You already hold or have requested this service.")

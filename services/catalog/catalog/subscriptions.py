"""Use cases of subscribing: a user for themself, an administrator for a user of their company;
unsubscribing; asking for a subscription's renewal."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.entitlements import ADMINISTRATION
from portalkit.errors import PortalError, forbidden, not_found
from portalkit.signed_identity import Identity

from .access import administered_member, administers, member_of
from .company_settings import needs_validation
from .directory import administrators_of, recipient_of
from .eligibility import eligibility_of
from .endings import CANCELLED_BY_ADMINISTRATOR, UNSUBSCRIBED, end
from .events import tell
from .last_administrator import administration_rights, check_end_date, check_ending, rights_of
from .models import ACCEPTED, LIVE, PENDING, Member, Service, Subscription
from .requests import accept_pending, check_expiry


def subscribe(session: Session, identity: Identity, data: dict) -> dict:
    """Subscribe the caller (pending an administrator where the company wants it), or, for an
    administrator naming ``user_id``, subscribe that user directly, with an optional end date.

    What may be subscribed to is eligibility.py's rule, the one the offer lists by. A user created
    but not activated yet may be subscribed by an administrator: the subscription is accepted at
    once (and told: the gateway's read-model holds it when they first sign in), in force from
    their activation, since they cannot sign in before.
    """
    member, direct = _subscriber(session, identity, data.get("user_id"))
    expires_on = data.get("expires_on")
    if expires_on is not None and not direct:
        raise forbidden("Only an administrator subscribing a user sets an expiry date.", "not_an_administrator")
    check_expiry(expires_on)
    eligibility = eligibility_of(session, member)
    service = eligibility.check_open(session.get(Service, data["service_id"]))
    scope = eligibility.scope_of(service)
    # A dated administration right may be its company's last one: locked before reading further.
    dated_administration = expires_on is not None and service.code == ADMINISTRATION
    rights = administration_rights(session, [scope]) if dated_administration else None
    existing = eligibility.live_subscription(session, service)
    if existing is not None and not (existing.status == PENDING and direct):
        raise _already_subscribed()
    check_end_date(rights, scope, member.user_id)
    if existing is not None:
        accept_pending(session, existing, service, identity.user_id, expires_on, member.recipient())
        session.commit()
        return state(existing, member)
    now = utcnow()
    pending = not direct and needs_validation(session, service, member.company_id)
    subscription = Subscription(service_id=service.id, user_id=member.user_id, company_id=member.company_id,
                                scope_company_id=scope, status=PENDING if pending else ACCEPTED,
                                requested_at=now, decided_at=None if pending else now,
                                decided_by=identity.user_id if direct else None, expires_on=expires_on)
    try:
        session.add(subscription)
        session.flush()
        if pending:
            administrators = administrators_of(session, member.company_id)
            tell(session, "SubscriptionRequested", subscription, service, member.recipient(),
                 administrators=[administrator.recipient() for administrator in administrators])
        else:
            tell(session, "SubscriptionAccepted", subscription, service, member.recipient(),
                 actor_id=identity.user_id)
        session.commit()
    except IntegrityError:  # a concurrent request for the same service won
        session.rollback()
        raise _already_subscribed() from None
    return state(subscription, member)


def state(subscription: Subscription, member: Member) -> dict:
    """A subscription's answer: ``awaiting_activation`` while its holder has not activated their
    account (accepted, in force from their first sign-in on)."""
    return {"id": subscription.id, "status": subscription.status, "expires_on": subscription.expires_on,
            "renewal_requested_at": subscription.renewal_requested_at,
            "awaiting_activation": not member.activated}


def _subscriber(session: Session, identity: Identity, user_id: str | None) -> tuple[Member, bool]:
    """Whom a subscription is for, and whether an administrator grants it directly."""
    if user_id is None or (user_id == identity.user_id and not administers(session, identity, identity.company_id)):
        return member_of(session, identity), False
    return administered_member(session, identity, user_id), True


def own_or_administered(session: Session, identity: Identity, subscription_id: str) -> Subscription:
    """A subscription of the caller's, or of a user of a company they administer (404 otherwise)."""
    subscription = session.get(Subscription, subscription_id)
    if subscription is None or not (subscription.user_id == identity.user_id
                                    or administers(session, identity, subscription.company_id)):
        raise not_found("subscription")
    return subscription


def unsubscribe(session: Session, identity: Identity, subscription_id: str) -> None:
    """Cancel a subscription (one's own, or as an administrator); an ended one stays as it is.

    A company's last administration right is kept, whoever asks (409 ``last_administrator``).
    """
    subscription = own_or_administered(session, identity, subscription_id)
    rights = rights_of(session, subscription)
    if subscription.status not in LIVE:
        return
    check_ending(rights, [subscription])
    reason = UNSUBSCRIBED if subscription.user_id == identity.user_id else CANCELLED_BY_ADMINISTRATOR
    end(session, subscription, session.get(Service, subscription.service_id), reason, actor_id=identity.user_id)
    session.commit()


def request_renewal(session: Session, identity: Identity, subscription_id: str) -> Subscription:
    """Ask the administrators to keep a subscription past its end date (the reminder's one click).

    Asked twice, the request stands as it is and nobody is told again.
    """
    subscription = own_or_administered(session, identity, subscription_id)
    if subscription.status != ACCEPTED or subscription.expires_on is None:
        raise PortalError(409, "not_expiring", "Only a subscription with an end date can be renewed.")
    if subscription.renewal_requested_at is None:
        subscription.renewal_requested_at = utcnow()
        service = session.get(Service, subscription.service_id)
        tell(session, "SubscriptionRequested", subscription, service,
             recipient_of(session, subscription.user_id), renewal=True,
             administrators=[a.recipient() for a in administrators_of(session, subscription.company_id)])
        session.commit()
    return subscription


def _already_subscribed() -> PortalError:
    return PortalError(409, "already_subscribed", "This user already holds or has requested this service.")

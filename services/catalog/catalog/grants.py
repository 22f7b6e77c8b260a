"""What the catalog grants and ends when identity's users change (the worker's use cases).

They run inside the consumer's transaction and never commit: the handled-event record and the
outbox rows commit with them, so a redelivered event changes nothing twice.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portalkit.db import utcnow

from .directory import ADMINISTRATION
from .events import tell
from .models import ACCEPTED, LIVE, PENDING, Member, Service, Subscription
from .subscriptions import cancel, live_subscription

SECURITY_LEVEL_LOWERED = "security_level_lowered"
USER_DELETED = "user_deleted"


class ServiceMissing(LookupError):
    """A service the catalog must grant is not in it: the seed has not run."""


def grant(session: Session, member: Member, service: Service, scope_company_id: str) -> Subscription | None:
    """Give ``member`` the service for ``scope_company_id``; None if they hold it already.

    A request of theirs still waiting for an administrator is answered by the grant.
    """
    subscription = live_subscription(session, service.id, member.user_id, scope_company_id)
    if subscription is not None and subscription.status == ACCEPTED:
        return None
    now = utcnow()
    if subscription is None:
        subscription = Subscription(service_id=service.id, user_id=member.user_id,
                                    company_id=member.company_id, scope_company_id=scope_company_id,
                                    requested_at=now)
        session.add(subscription)
    subscription.status, subscription.decided_at = ACCEPTED, now
    session.flush()
    tell(session, "SubscriptionAccepted", subscription, service, member.recipient())
    return subscription


def automatic_services(session: Session, member: Member) -> list[Service]:
    """The auto-subscribed services ``member`` may hold at their security level.

    Services that need a maintenance contract are left out: the catalog keeps no read-model of
    contracts yet (assets' ContractActivated / ContractEnded reach its queue but are not
    handled), so it cannot tell whether the member's company holds one. Once it can, grant them
    to members of companies under contract, and end them with the contract.
    """
    return list(session.scalars(select(Service).where(
        Service.auto_subscribe.is_(True), Service.needs_contract.is_(False),
        Service.retired_at.is_(None), Service.min_security_level <= member.security_level,
        or_(Service.scope_company_id.is_(None), Service.scope_company_id == member.company_id))
        .order_by(Service.code)))


def grant_on_activation(session: Session, member: Member, company_administrator: bool) -> list[Subscription]:
    """Grant a newly active member the automatic services, and the company's first
    administrator "User Management - Administration" for their company."""
    services = automatic_services(session, member)
    if company_administrator:
        administration = session.scalar(select(Service).where(Service.code == ADMINISTRATION))
        if administration is None:
            # Raised, not skipped: the event is retried, then parked, but never lost.
            raise ServiceMissing(f"{ADMINISTRATION} is not in the catalog; run python -m catalog.seed")
        services.insert(0, administration)
    granted = [grant(session, member, service, member.company_id) for service in services
               if not _decided_before(session, member, service)]
    return [subscription for subscription in granted if subscription is not None]


def _decided_before(session: Session, member: Member, service: Service) -> bool:
    """Whether the member already holds the service, or held it and lost it.

    Activation grants once in a user's life: a repeated UserActivated (same user, another event
    id) must neither duplicate a right nor revive one the user dropped or an administrator ended.
    """
    return session.scalar(select(Subscription.id).where(
        Subscription.service_id == service.id, Subscription.user_id == member.user_id,
        Subscription.scope_company_id == member.company_id, Subscription.status != PENDING)
        .limit(1)) is not None


def end_beyond_level(session: Session, member: Member) -> list[Subscription]:
    """End the member's subscriptions (held or requested) to services needing a higher level
    than theirs now."""
    rows = session.execute(
        select(Subscription, Service).join(Service, Service.id == Subscription.service_id)
        .where(Subscription.user_id == member.user_id, Subscription.status.in_(LIVE),
               Service.min_security_level > member.security_level)).all()
    for subscription, service in rows:
        cancel(session, subscription, service, member.recipient(), SECURITY_LEVEL_LOWERED)
    return [subscription for subscription, _ in rows]


def cancel_all(session: Session, user_id: str, recipient: dict) -> list[Subscription]:
    """End every subscription, held or requested, of a deleted user."""
    rows = session.execute(
        select(Subscription, Service).join(Service, Service.id == Subscription.service_id)
        .where(Subscription.user_id == user_id, Subscription.status.in_(LIVE))).all()
    for subscription, service in rows:
        cancel(session, subscription, service, recipient, USER_DELETED)
    return [subscription for subscription, _ in rows]

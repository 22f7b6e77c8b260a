"""What the catalog grants and ends when identity's users and assets' contracts change (the
worker's use cases).

A user's grants are prepared from their creation on: accepted, and told at once (the gateway's
read-model has them when the user first signs in), in force from their activation since nobody
signs in before (``awaiting_activation`` in the answers until then).

They run inside the consumer's transaction and never commit: the handled-event record and the
outbox rows commit with them, so a redelivered event changes nothing twice.
"""
from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.entitlements import ADMINISTRATION

from .company_settings import automatic
from .eligibility import live_subscription
from .endings import SECURITY_LEVEL_LOWERED, USER_DELETED, end
from .events import tell
from .models import ACCEPTED, LIVE, PENDING, CompanyServiceSetting, Member, Service, Subscription
from .offered import offer_for


class ServiceMissing(LookupError):
    """A service the catalog must grant is not in it: the seed has not run."""


def grant(session: Session, member: Member, service: Service, scope_company_id: str,
          automatic: bool = False) -> Subscription | None:
    """Give ``member`` the service for ``scope_company_id``; None if they hold it already.

    A request of theirs still waiting for an administrator is answered by the grant. An
    ``automatic`` grant (the portal's own, at activation or under a new contract) is not mailed.
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
    tell(session, "SubscriptionAccepted", subscription, service, member.recipient(), automatic=automatic)
    return subscription


def automatic_services(session: Session, company_id: str, *conditions) -> list[Service]:
    """The services granted at account creation in a company (its choices, else the services'
    defaults) that are offered to it."""
    return list(session.scalars(
        select(Service).outerjoin(CompanyServiceSetting, and_(
            CompanyServiceSetting.service_id == Service.id, CompanyServiceSetting.company_id == company_id))
        .where(offer_for(session, company_id).condition(), automatic(), *conditions)
        .order_by(Service.code)))


def grant_to_new_member(session: Session, member: Member, company_administrator: bool) -> list[Subscription]:
    """Grant a new member the automatic services their level allows, and the company's first
    administrator "User Management - Administration" for their company.

    Run at their creation (UserCreated), so that their activation finds it all in place, and again
    at their activation, which grants only what was not decided yet (_grant_once).
    """
    services = automatic_services(session, member.company_id,
                                  Service.min_security_level <= member.security_level)
    if company_administrator:
        administration = session.scalar(select(Service).where(Service.code == ADMINISTRATION))
        if administration is None:
            # Raised, not skipped: the event is retried, then parked, but never lost.
            raise ServiceMissing(f"{ADMINISTRATION} is not in the catalog; run python -m catalog.seed")
        services.insert(0, administration)
    return _grant_once(session, [member], services, [member.user_id])


def grant_contract_services(session: Session, company_id: str) -> list[Subscription]:
    """A company now under contract: its members get the automatic services needing one."""
    services = automatic_services(session, company_id, Service.needs_contract.is_(True))
    of_company = select(Member.user_id).where(Member.company_id == company_id)
    members = session.scalars(select(Member).where(Member.company_id == company_id).order_by(Member.user_id)).all()
    return _grant_once(session, members, services, of_company)


def _grant_once(session: Session, members, services: list[Service], user_ids) -> list[Subscription]:
    """Grant each member the services their level allows, unless they were ever decided.

    Automatic grants happen once in a user's life: a repeated UserActivated (same user, another
    event id) must neither duplicate a right nor revive one the user dropped or an administrator
    ended. A request still pending is answered by the grant.
    """
    if not members or not services:
        return []
    decided = set(session.execute(select(Subscription.user_id, Subscription.service_id).where(
        Subscription.user_id.in_(user_ids),
        Subscription.service_id.in_([service.id for service in services]),
        Subscription.status != PENDING)).all())
    granted = []
    for member in members:
        for service in services:
            if (member.user_id, service.id) in decided or service.min_security_level > member.security_level:
                continue
            subscription = grant(session, member, service, member.company_id, automatic=True)
            if subscription is not None:
                granted.append(subscription)
    return granted


def end_beyond_level(session: Session, member: Member) -> list[Subscription]:
    """End the member's subscriptions (held or requested) to services needing a higher level
    than theirs now."""
    rows = session.execute(
        select(Subscription, Service).join(Service, Service.id == Subscription.service_id)
        .where(Subscription.user_id == member.user_id, Subscription.status.in_(LIVE),
               Service.min_security_level > member.security_level)).all()
    for subscription, service in rows:
        end(session, subscription, service, SECURITY_LEVEL_LOWERED, member.recipient())
    return [subscription for subscription, _ in rows]


def cancel_all(session: Session, user_id: str, recipient: dict) -> list[Subscription]:
    """End every subscription, held or requested, of a deleted user."""
    rows = session.execute(
        select(Subscription, Service).join(Service, Service.id == Subscription.service_id)
        .where(Subscription.user_id == user_id, Subscription.status.in_(LIVE))).all()
    for subscription, service in rows:
        end(session, subscription, service, USER_DELETED, recipient)
    return [subscription for subscription, _ in rows]

"""A user's notifications in one place: every "Notification on …" and "Receive …" service open to
them (the manual's Notifications and Information flow families), each with their live subscription.

The page switches one on with ``POST /catalog/subscriptions`` (accepted, or pending where the
company validates it) and off with ``DELETE /catalog/subscriptions/<id>``: the list shows exactly
what those calls accept, by eligibility.py's rule, plus any still held outside it.
"""
from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from portalkit.signed_identity import Identity

from .access import member_of
from .company_settings import settings_of
from .eligibility import eligibility_of
from .models import LIVE, Service, Subscription
from .offer import describe, ordered

# The families whose services tell a user something by e-mail (the notifications page's rows).
NOTIFYING_FAMILIES = ("Notifications", "Information flow")


def notifications_of(session: Session, identity: Identity) -> list[dict]:
    """The caller's notifying services, in the manual's order, each with ``subscription`` or None."""
    member = member_of(session, identity)
    eligibility = eligibility_of(session, member)
    live = {subscription.service_id: subscription for subscription in session.scalars(
        select(Subscription).join(Service, Service.id == Subscription.service_id).where(
            Subscription.user_id == member.user_id, Subscription.status.in_(LIVE),
            Service.family.in_(NOTIFYING_FAMILIES)))}
    # Open to the user now (offered, within their level), or held already: both are switchable.
    openable = and_(eligibility.offer.condition(), Service.min_security_level <= member.security_level)
    held = Service.id.in_(list(live)) if live else None
    services = session.scalars(
        select(Service).where(Service.family.in_(NOTIFYING_FAMILIES),
                              or_(openable, held) if held is not None else openable)
        .order_by(*ordered(identity.language))).all()
    settings = settings_of(session, member.company_id, [service.id for service in services])
    return [{**describe(service, identity.language, settings.get(service.id)),
             "subscription": _brief(live.get(service.id))} for service in services]


def _brief(subscription: Subscription | None) -> dict | None:
    if subscription is None:
        return None
    return {"id": subscription.id, "status": subscription.status, "expires_on": subscription.expires_on}

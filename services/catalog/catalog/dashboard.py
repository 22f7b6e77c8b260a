"""The catalog's blocks of the profile page: one's subscriptions, and the catalog's news.

The administrators' blocks (services nobody in the company holds, requests waiting) are ``null``
for the others.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from portalkit.errors import forbidden
from portalkit.signed_identity import Identity

from .access import administered_companies, administers
from .families import family_title
from .models import ACCEPTED, PENDING, REFUSED, Service, Subscription, status_is, waiting
from .offer import held_by
from .offered import offer_for

SHOWN = 3  # the manual's blocks show the last three


def dashboard(session: Session, identity: Identity, since: datetime | None) -> dict:
    if identity.company_id is None:
        raise forbidden("Only the users of a client company hold services.", "not_a_company_user")
    me, company_id, language = identity.user_id, identity.company_id, identity.language
    offered = offer_for(session, company_id).condition()
    counts = dict(session.execute(
        select(Subscription.status, func.count()).where(
            Subscription.user_id == me, Subscription.status.in_((ACCEPTED, PENDING, REFUSED)))
        .group_by(Subscription.status)).all())
    last = session.execute(
        select(Subscription, Service).join(Service, Service.id == Subscription.service_id)
        .where(Subscription.user_id == me, Subscription.status == ACCEPTED)
        .order_by(Subscription.decided_at.desc(), Subscription.id).limit(SHOWN)).all()
    latest = session.scalars(select(Service).where(offered)
                             .order_by(Service.created_at.desc(), Service.id).limit(SHOWN)).all()
    blocks = {
        "subscriptions": {status: counts.get(status, 0) for status in (ACCEPTED, PENDING, REFUSED)},
        "last_subscribed": [{**_brief(service, language), "subscription_id": subscription.id,
                             "decided_at": subscription.decided_at, "expires_on": subscription.expires_on}
                            for subscription, service in last],
        "services_not_subscribed": _count(session, offered, ~held_by(me)),
        "new_services_since": None if since is None else _count(session, offered, Service.created_at > since),
        "latest_services": [{**_brief(service, language), "created_at": service.created_at}
                            for service in latest],
        "services_without_subscriber": None,
        "requests_waiting": None,
    }
    if administers(session, identity, company_id):
        held_in_company = exists().where(Subscription.service_id == Service.id, Subscription.company_id == company_id,
                                         status_is(ACCEPTED))
        blocks["services_without_subscriber"] = _count(session, offered, ~held_in_company)
    if administered_companies(session, identity):
        blocks["requests_waiting"] = session.scalar(select(func.count()).select_from(Subscription).where(
            Subscription.company_id.in_(administered_companies(session, identity)), waiting()))
    return blocks


def _count(session: Session, *conditions) -> int:
    return session.scalar(select(func.count()).select_from(Service).where(*conditions))


def _brief(service: Service, language: str) -> dict:
    return {"service_id": service.id, "code": service.code, "title": service.title(language),
            "family": service.family, "family_title": family_title(service.family, language)}

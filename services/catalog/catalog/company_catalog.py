"""The administrators' services catalog: every service offered to a company they administer,
with the company's choices and how many of its users hold each; with a user of the company
picked, that user's subscription to each (the manual's subscribe checkboxes).

The counts read only the partial index ``ix_subscriptions_holders`` (company, service) of the
accepted subscriptions, for the services of the page alone: benchmarks/catalog_listing.py measures it.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portalkit.errors import not_found
from portalkit.signed_identity import Identity

from .access import administered_company, administered_member
from .company_settings import settings_of
from .models import ACCEPTED, LIVE, Service, Subscription, status_is
from .offer import describe, matching, ordered
from .offered import offer_for


def company_catalog(session: Session, identity: Identity, query: dict) -> tuple[list[dict], int]:
    """A page of the company's catalog (``company``, else the user's or the caller's company)."""
    member = None
    if query.get("user_id"):
        member = administered_member(session, identity, query["user_id"])
        if query.get("company") and query["company"] != member.company_id:
            raise not_found("user")
    company_id = administered_company(session, identity, query.get("company") or (member and member.company_id))
    language = identity.language
    conditions = [offer_for(session, company_id).condition(), *matching(query, language)]
    total = session.scalar(select(func.count()).select_from(Service).where(*conditions))
    page, per_page = query["page"], query["per_page"]
    services = session.scalars(select(Service).where(*conditions).order_by(*ordered(language))
                               .offset((page - 1) * per_page).limit(per_page)).all()
    ids = [service.id for service in services]
    holders = holders_of(session, company_id, ids)
    settings = settings_of(session, company_id, ids)
    held = {} if member is None else {
        subscription.service_id: subscription for subscription in session.scalars(
            select(Subscription).where(Subscription.user_id == member.user_id,
                                       Subscription.status.in_(LIVE), Subscription.service_id.in_(ids)))}
    return [{**describe(service, language, settings.get(service.id)), "company_id": company_id,
             "holders": holders.get(service.id, 0),
             "subscription": _brief(held.get(service.id)) if member is not None else None}
            for service in services], total


def holders_of(session: Session, company_id: str, service_ids: list[str]) -> dict[str, int]:
    """How many of the company's users hold each service (accepted subscriptions)."""
    if not service_ids:
        return {}
    return dict(session.execute(
        select(Subscription.service_id, func.count())
        .where(Subscription.company_id == company_id, status_is(ACCEPTED),
               Subscription.service_id.in_(service_ids))
        .group_by(Subscription.service_id)).all())


def _brief(subscription: Subscription | None) -> dict | None:
    if subscription is None:
        return None
    return {"id": subscription.id, "status": subscription.status, "expires_on": subscription.expires_on}

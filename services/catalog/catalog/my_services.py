"""\"My services\": a user's subscriptions, for themself or for an administrator of their company."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portalkit.signed_identity import Identity

from .access import administered_member
from .families import family_title
from .models import ACCEPTED, Member, Service, Subscription
from .offer import matching


def subscriptions_of(session: Session, identity: Identity, query: dict) -> tuple[list[dict], int]:
    """A user's subscriptions, newest first, the titles in the caller's language.

    Filters: ``status``, ``family``, and ``q`` (words of the title or description).
    """
    user_id = identity.user_id
    if query.get("user_id") and query["user_id"] != identity.user_id:
        user_id = administered_member(session, identity, query["user_id"]).user_id
    member = session.get(Member, user_id)
    awaiting_activation = member is not None and not member.activated
    conditions = [Subscription.user_id == user_id,
                  *matching({"family": query.get("family"), "q": query.get("q")}, identity.language)]
    if query.get("status"):
        conditions.append(Subscription.status == query["status"])
    joined = select(Subscription, Service).join(Service, Service.id == Subscription.service_id).where(*conditions)
    total = session.scalar(select(func.count()).select_from(joined.subquery()))
    page, per_page = query["page"], query["per_page"]
    rows = session.execute(joined.order_by(Subscription.requested_at.desc(), Subscription.id)
                           .offset((page - 1) * per_page).limit(per_page))
    return [describe(subscription, service, identity.language, awaiting_activation)
            for subscription, service in rows], total


def describe(subscription: Subscription, service: Service, language: str,
             awaiting_activation: bool = False) -> dict:
    """A subscription as listed; ``awaiting_activation``: its holder has not activated their account
    yet, so an accepted one is in force from their activation."""
    return {"id": subscription.id, "user_id": subscription.user_id, "service_id": service.id,
            "service_code": service.code, "service_title": service.title(language),
            "family": service.family, "family_title": family_title(service.family, language),
            "status": subscription.status, "company_id": subscription.company_id,
            "scope_company_id": subscription.scope_company_id,
            "requested_at": subscription.requested_at, "decided_at": subscription.decided_at,
            "expires_on": subscription.expires_on, "reason": subscription.reason,
            "renewal_requested_at": subscription.renewal_requested_at,
            "awaiting_activation": awaiting_activation and subscription.status == ACCEPTED}

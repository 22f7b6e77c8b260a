"""The validation queue: requests waiting for an administrator, and their decisions.

A request is a pending subscription, or an accepted one whose renewal was asked for (expiry.py
reminds before the end). The administrators of the requester's company decide, and so do the
supervisors of that company. Deciding twice answers 409 ``already_decided``; each decision is told
(``SubscriptionAccepted`` / ``SubscriptionRefused``, with ``renewal: true`` for a renewal), and
notifications mails the requester.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.errors import PortalError, forbidden, not_found
from portalkit.signed_identity import Identity

from . import clock
from .access import administered_companies, administers
from .directory import recipient_of
from .events import tell
from .last_administrator import check_end_date, rights_of
from .models import ACCEPTED, PENDING, REFUSED, Company, Member, Service, Subscription, waiting

SUBSCRIPTION, RENEWAL = "subscription", "renewal"


def check_expiry(expires_on: date | None) -> None:
    if expires_on is not None and expires_on <= clock.today():
        raise PortalError(400, "invalid_input", "Some fields are invalid.",
                          {"expires_on": ["The expiry date must be after today."]})


def waiting_requests(session: Session, identity: Identity, query: dict) -> tuple[list[dict], int]:
    """The requests the caller may decide, oldest first (``company`` narrows to one company)."""
    companies = administered_companies(session, identity)
    if not companies:
        raise forbidden("Only a company's administrators may do this.", "not_an_administrator")
    if query.get("company"):
        if query["company"] not in companies:
            raise not_found("company")
        companies = {query["company"]}
    conditions = [Subscription.company_id.in_(companies), waiting()]
    total = session.scalar(select(func.count()).select_from(Subscription).where(*conditions))
    page, per_page = query["page"], query["per_page"]
    rows = session.execute(
        select(Subscription, Service, Member, Company)
        .join(Service, Service.id == Subscription.service_id)
        .outerjoin(Member, Member.user_id == Subscription.user_id)
        .outerjoin(Company, Company.id == Subscription.company_id)
        .where(*conditions)
        .order_by(func.coalesce(Subscription.renewal_requested_at, Subscription.requested_at), Subscription.id)
        .offset((page - 1) * per_page).limit(per_page)).all()
    return [_describe(*row, identity.language) for row in rows], total


def accept(session: Session, identity: Identity, request_id: str, expires_on: date | None) -> Subscription:
    """Grant a pending request (or extend a subscription whose renewal was asked for)."""
    check_expiry(expires_on)
    subscription, service, rights = _waiting(session, identity, request_id)
    if expires_on is not None:
        check_end_date(rights, subscription.scope_company_id, subscription.user_id)
    renewal = subscription.status == ACCEPTED
    if renewal:
        subscription.renewal_requested_at = subscription.reminded_at = None
    subscription.status, subscription.decided_at, subscription.decided_by = ACCEPTED, utcnow(), identity.user_id
    subscription.expires_on = expires_on
    tell(session, "SubscriptionAccepted", subscription, service, recipient_of(session, subscription.user_id),
         **({"renewal": True} if renewal else {}))
    session.commit()
    return subscription


def accept_pending(session: Session, subscription: Subscription, service: Service, decided_by: str | None,
                   expires_on: date | None, recipient: dict) -> None:
    """An administrator's direct subscription answers the user's own pending request."""
    subscription.status, subscription.decided_at, subscription.decided_by = ACCEPTED, utcnow(), decided_by
    subscription.expires_on = expires_on
    tell(session, "SubscriptionAccepted", subscription, service, recipient)


def refuse(session: Session, identity: Identity, request_id: str, reason: str | None) -> Subscription:
    """Refuse a pending request (or a renewal: the subscription then ends on its date)."""
    subscription, service, _ = _waiting(session, identity, request_id)
    renewal = subscription.status == ACCEPTED
    if renewal:
        subscription.renewal_requested_at = None
    else:
        subscription.status, subscription.decided_at = REFUSED, utcnow()
        subscription.decided_by, subscription.reason = identity.user_id, reason
    tell(session, "SubscriptionRefused", subscription, service, recipient_of(session, subscription.user_id),
         reason=reason, **({"renewal": True} if renewal else {}))
    session.commit()
    return subscription


def _waiting(session: Session, identity: Identity,
             request_id: str) -> tuple[Subscription, Service, list[Subscription] | None]:
    """The request, locked, and for an administration right its company's rights (locked first,
    as last_administrator.py wants)."""
    # Locked: two administrators deciding at once answer one 200 and one 409 (PostgreSQL; SQLite
    # takes the write lock at BEGIN already).
    subscription = session.get(Subscription, request_id)
    rights = rights_of(session, subscription) if subscription is not None else None
    subscription = session.scalar(select(Subscription).where(Subscription.id == request_id).with_for_update()
                                  .execution_options(populate_existing=True))
    if subscription is None or not administers(session, identity, subscription.company_id):
        raise not_found("request")
    if not (subscription.status == PENDING or
            (subscription.status == ACCEPTED and subscription.renewal_requested_at is not None)):
        raise PortalError(409, "already_decided", f"This request was decided already ({subscription.status}).")
    return subscription, session.get(Service, subscription.service_id), rights


def _describe(subscription: Subscription, service: Service, member: Member | None, company: Company | None,
              language: str) -> dict:
    renewal = subscription.status == ACCEPTED
    display_name = ""
    if member is not None:
        display_name = f"{member.first_name} {member.last_name}".strip() or (member.email or "")
    return {"id": subscription.id, "kind": RENEWAL if renewal else SUBSCRIPTION,
            "company_id": subscription.company_id, "company_name": company.name if company else "",
            "user_id": subscription.user_id, "display_name": display_name,
            "email": member.email if member else None,
            "service_id": service.id, "service_title": service.title(language), "family": service.family,
            "scope_company_id": subscription.scope_company_id,
            "requested_at": subscription.renewal_requested_at if renewal else subscription.requested_at,
            "expires_on": subscription.expires_on}

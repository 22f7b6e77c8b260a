"""What one user may subscribe to: the one rule the offer lists by and the subscribe call checks.

A service is open to a member when it is offered to their company (offered.py: active, for every
company or theirs or an associate below it, under contract if it needs one), their security level
reaches the service's, and they neither hold nor have requested it for the company it applies to
(their own, or the associate a supervision service administers). An administrator subscribing a
user directly may also answer that user's own pending request for it (subscriptions.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from portalkit.errors import PortalError, not_found

from .families import SECURITY_LEVELS
from .models import LIVE, Member, Service, Subscription
from .offered import Offer, offer_for


@dataclass(frozen=True)
class Eligibility:
    member: Member
    offer: Offer

    def scope_of(self, service: Service) -> str:
        """The company a subscription to ``service`` applies to."""
        return service.supervised_company_id or self.member.company_id

    def condition(self):
        """The condition on services the member may subscribe to now (the offer's listing)."""
        held = exists().where(
            Subscription.service_id == Service.id, Subscription.user_id == self.member.user_id,
            Subscription.scope_company_id == func.coalesce(Service.supervised_company_id, self.member.company_id),
            Subscription.status.in_(LIVE))
        return and_(self.offer.condition(), Service.min_security_level <= self.member.security_level, ~held)

    def check_open(self, service: Service | None) -> Service:
        """Refuse a service not offered to the member (404) or beyond their level (403)."""
        if service is None or not self.offer.includes(service):
            raise not_found("service")
        needed = service.min_security_level
        if self.member.security_level < needed:
            raise PortalError(403, "security_level_too_low",
                              f"This service needs password security level {needed} "
                              f"({SECURITY_LEVELS[needed]}); the user's is {self.member.security_level}.",
                              {"min_security_level": needed})
        return service

    def live_subscription(self, session: Session, service: Service) -> Subscription | None:
        """The subscription the member holds or has requested for ``service`` (None: open)."""
        return live_subscription(session, service.id, self.member.user_id, self.scope_of(service))


def eligibility_of(session: Session, member: Member) -> Eligibility:
    return Eligibility(member, offer_for(session, member.company_id))


def live_subscription(session: Session, service_id: str, user_id: str,
                      scope_company_id: str) -> Subscription | None:
    """The subscription ``user_id`` holds or has requested for this service and company."""
    return session.scalar(select(Subscription).where(
        Subscription.service_id == service_id, Subscription.user_id == user_id,
        Subscription.scope_company_id == scope_company_id, Subscription.status.in_(LIVE)))

"""What a company is offered: the services its users may subscribe to.

A service is offered to a company when it is active, for every company or for that one (or, for a
supervision service, for an associate below it: supervision.py), and — if it needs a maintenance
contract — while the company holds an active one (contracts.py). The manual's generic supervision
service is only the model of the per-associate ones: it is never offered itself.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, or_
from sqlalchemy.orm import Session

from portalkit.entitlements import SUPERVISION

from .contracts import holds_contract
from .models import Service
from .supervision import below


@dataclass(frozen=True)
class Offer:
    """What decides the offer to one company."""

    company_id: str | None
    associates: frozenset[str]  # every associate below it
    under_contract: bool

    def condition(self):
        """The condition on services offered to the company."""
        conditions = [Service.retired_at.is_(None), Service.code != SUPERVISION,
                      or_(Service.scope_company_id.is_(None), Service.scope_company_id == self.company_id,
                          Service.supervised_company_id.in_(self.associates) if self.associates else false())]
        if not self.under_contract:
            conditions.append(Service.needs_contract.is_(False))
        return and_(*conditions)

    def includes(self, service: Service) -> bool:
        return (service.retired_at is None and service.code != SUPERVISION
                and (service.scope_company_id in (None, self.company_id)
                     or service.supervised_company_id in self.associates)
                and (self.under_contract or not service.needs_contract))


def offer_for(session: Session, company_id: str | None) -> Offer:
    return Offer(company_id, frozenset(below(session, company_id)), holds_contract(session, company_id))

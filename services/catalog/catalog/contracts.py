"""The maintenance contracts read-model (from assets), and what a contract's end does.

A service that needs a contract is offered to a company only while it holds an active one:
activated, not ended, and today between its first and last day. When a company's last active
contract ends, the subscriptions of its users that needed one end: a held right expires
(``SubscriptionExpired``: it lapsed with the contract, nobody cancelled it), a request still
waiting is cancelled (``SubscriptionCancelled``).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from . import clock
from .endings import CONTRACT_ENDED, end
from .models import LIVE, Contract, Service, Subscription


def active(day: date):
    """The condition on contracts in force on ``day``."""
    return and_(Contract.ended_on.is_(None), Contract.starts_on <= day,
                or_(Contract.ends_on.is_(None), Contract.ends_on >= day))


def holds_contract(session: Session, company_id: str | None, day: date | None = None) -> bool:
    if company_id is None:
        return False
    day = day or clock.today()
    return session.scalar(select(Contract.id).where(Contract.company_id == company_id, active(day))
                          .limit(1)) is not None


def record_activated(session: Session, data: dict) -> Contract:
    """Record a contract in force; one already ended (its end arrived first) stays ended."""
    contract = session.get(Contract, data["contract_id"]) or Contract(id=data["contract_id"])
    contract.company_id, contract.starts_on = data["company_id"], data["starts_on"]
    contract.ends_on = data.get("ends_on")
    session.add(contract)
    session.flush()
    return contract


def record_ended(session: Session, data: dict) -> Contract:
    contract = session.get(Contract, data["contract_id"]) or Contract(id=data["contract_id"])
    contract.company_id = data["company_id"]
    contract.ended_on = contract.ended_on or data["ended_on"]
    session.add(contract)
    session.flush()
    return contract


def uncovered(session: Session, *conditions) -> list[tuple[Subscription, Service]]:
    """The live subscriptions needing a contract whose holder's company holds none today (with
    their service), among those ``conditions`` select (a company, a service)."""
    covered = exists().where(Contract.company_id == Subscription.company_id, active(clock.today()))
    return list(session.execute(
        select(Subscription, Service).join(Service, Service.id == Subscription.service_id)
        .where(Service.needs_contract.is_(True), Subscription.status.in_(LIVE), ~covered, *conditions)
        .order_by(Subscription.id)).all())


def end_uncovered(session: Session, *conditions) -> list[Subscription]:
    """End the ``uncovered`` subscriptions among those ``conditions`` select."""
    rows = uncovered(session, *conditions)
    for subscription, service in rows:
        end(session, subscription, service, CONTRACT_ENDED)
    return [subscription for subscription, _ in rows]


def on_contract_ended(session: Session, company_id: str) -> list[Subscription]:
    return end_uncovered(session, Subscription.company_id == company_id)

"""Who holds the administration rights, as catalog tells it: the handlers of its subscription
events, and the rule that a company never loses its last administrator through identity."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portalkit.events import Event

from .access import ADMINISTRATION, SUPERVISION
from .models import AdministrationGrant, User

RIGHTS = (ADMINISTRATION, SUPERVISION)


def on_subscription_accepted(session: Session, event: Event) -> None:
    data, at = event.data, event.occurred_at
    if data["service_code"] not in RIGHTS:
        return
    grant = session.get(AdministrationGrant, data["subscription_id"])
    if grant is None:
        _record(session, data, granted_at=at)
    elif grant.ended_at is not None and at > grant.ended_at:
        grant.granted_at, grant.ended_at = at, None  # accepted again after it ended


def on_subscription_ended(session: Session, event: Event) -> None:
    """A cancelled or expired right; one that ends before its acceptance arrives stays void."""
    data, at = event.data, event.occurred_at
    if data["service_code"] not in RIGHTS:
        return
    grant = session.get(AdministrationGrant, data["subscription_id"])
    if grant is None:
        _record(session, data, ended_at=at)
    elif grant.granted_at is None or at >= grant.granted_at:
        grant.ended_at = max(at, grant.ended_at) if grant.ended_at else at


def _record(session: Session, data: dict, **moments) -> None:
    session.add(AdministrationGrant(subscription_id=data["subscription_id"], user_id=data["user_id"],
                                    service_code=data["service_code"], scope_company_id=data["scope_company_id"],
                                    **moments))


def live():
    """The condition of a grant in force: accepted, and not ended since."""
    return AdministrationGrant.granted_at.is_not(None) & AdministrationGrant.ended_at.is_(None)


def administrators_of(session: Session, company_id: str) -> list[User]:
    """The users holding "User Management - Administration" of ``company_id`` now."""
    return list(session.scalars(
        select(User).join(AdministrationGrant, AdministrationGrant.user_id == User.id)
        .where(AdministrationGrant.service_code == ADMINISTRATION,
               AdministrationGrant.scope_company_id == company_id, live())
        .order_by(User.id)).unique())


def _live_administrators(company_id: str):
    return (select(func.count(func.distinct(AdministrationGrant.user_id)))
            .join(User, User.id == AdministrationGrant.user_id)
            .where(AdministrationGrant.service_code == ADMINISTRATION,
                   AdministrationGrant.scope_company_id == company_id,
                   live()))


def companies_left_without_administrator(session: Session, user: User) -> list[str]:
    """The companies that would have no administrator left without ``user``."""
    held = set(session.scalars(select(AdministrationGrant.scope_company_id).where(
        AdministrationGrant.user_id == user.id, AdministrationGrant.service_code == ADMINISTRATION,
        live())))
    if user.designated_administrator and user.activated_at is None and user.company_id:
        held.add(user.company_id)  # named by the operator: the right comes with their activation
    return sorted(company for company in held
                  if not session.scalar(_live_administrators(company).where(AdministrationGrant.user_id != user.id)))


"""A company keeps at least one administrator: nothing done through catalog's API may end the last
accepted "User Management - Administration" of a company, nor give that last right an end date
(409 ``last_administrator``). A right prepared for a user not activated yet does not count: the
company would be left with an administrator who may never sign in. identity keeps the same rule for deleting users.

Every use case that may break it first locks the live administration subscriptions of the
companies concerned (``administration_rights``), then looks at what would be left. Two
administrators removing each other's right at the same moment are thus serialised, and the second
finds itself the last one: PostgreSQL locks the rows (``FOR UPDATE``, which hands back their
state as the first one committed it); SQLite has taken its write lock at BEGIN already. These
rows are locked before any other row of the transaction, in id order, so that use cases locking
them never wait for each other in a cycle.

Not checked here: ends driven by events (identity's UserDeleted, which identity refuses for a last
administrator; a lowered level; an ended contract) and the lapse of a date set earlier.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from portalkit.entitlements import ADMINISTRATION
from portalkit.errors import PortalError

from .models import ACCEPTED, LIVE, Member, Service, Subscription

LAST_ADMINISTRATOR = "last_administrator"


def administration_rights(session: Session, company_ids: Iterable[str] | None = None) -> list[Subscription]:
    """The live administration subscriptions of those companies (of every company: None), locked,
    and read again even where the session had them already (the lock may have waited for a change)."""
    administration = select(Service.id).where(Service.code == ADMINISTRATION).scalar_subquery()
    query = select(Subscription).where(Subscription.service_id == administration, Subscription.status.in_(LIVE))
    if company_ids is not None:
        query = query.where(Subscription.scope_company_id.in_(list(company_ids)))
    query = query.order_by(Subscription.id).with_for_update().execution_options(populate_existing=True)
    return list(session.scalars(query))


def rights_of(session: Session, subscription: Subscription) -> list[Subscription] | None:
    """For an administration subscription: its company's live rights, locked, and the subscription
    read again (whoever held the lock may have ended it). None for any other service."""
    service = session.get(Service, subscription.service_id)
    if service is None or service.code != ADMINISTRATION:
        return None
    rights = administration_rights(session, [subscription.scope_company_id])
    session.refresh(subscription)
    return rights


def in_force(right: Subscription) -> bool:
    """An accepted right its holder can use: a user created but not activated yet is no
    administrator to leave a company with (their activation link may never be used)."""
    if right.status != ACCEPTED:
        return False
    holder = object_session(right).get(Member, right.user_id)
    return holder is None or holder.activated


def check_ending(rights: list[Subscription] | None, ending: Iterable[Subscription]) -> None:
    """Refuse to end ``ending`` if a company of ``rights`` would be left without an accepted one."""
    if not rights:
        return
    ended = {subscription.id for subscription in ending}
    held = {right.scope_company_id for right in rights if in_force(right)}
    kept = {right.scope_company_id for right in rights if in_force(right) and right.id not in ended}
    if held - kept:
        raise PortalError(409, LAST_ADMINISTRATOR,
                          "A company keeps at least one administrator: give the right to someone else first.")


def check_end_date(rights: list[Subscription] | None, company_id: str, user_id: str) -> None:
    """Refuse an end date on ``user_id``'s administration of ``company_id`` when nobody else holds it:
    the company would lose its last administrator on that day."""
    if rights is None:
        return
    if not any(in_force(right) and right.scope_company_id == company_id and right.user_id != user_id
               for right in rights):
        raise PortalError(409, LAST_ADMINISTRATOR,
                          "A company keeps at least one administrator: its last administration right "
                          "takes no expiry date. Give the right to someone else first.")

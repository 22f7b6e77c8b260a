"""Who holds "Declarative services (Etafi)" or "Supervisor service (Etafi)", from catalog's
subscription events: identity has no other way to know it without calling catalog back, and it
needs it when an account is tied to a portal user (``declarants._check_tie``)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from portalkit.events import Event

from .declarant_models import DeclarativeHolding
from .declarants import ROLE_SERVICES

CODES = frozenset(ROLE_SERVICES.values())


def on_subscription_accepted(session: Session, event: Event) -> None:
    data, at = event.data, event.occurred_at
    if data["service_code"] not in CODES:
        return
    row = session.get(DeclarativeHolding, data["subscription_id"])
    if row is None:
        session.add(_row(data, granted_at=at))
    elif row.ended_at is not None and at > row.ended_at:
        row.granted_at, row.ended_at = at, None  # accepted again after it ended
    elif row.granted_at is None:
        row.granted_at = at  # an end arrived first: the holding stays void


def on_subscription_ended(session: Session, event: Event) -> None:
    """A cancelled or expired holding; one that ends before its acceptance arrives stays void."""
    data, at = event.data, event.occurred_at
    if data["service_code"] not in CODES:
        return
    row = session.get(DeclarativeHolding, data["subscription_id"])
    if row is None:
        session.add(_row(data, ended_at=at))
    elif row.ended_at is None and (row.granted_at is None or at >= row.granted_at):
        row.ended_at = at


def _row(data: dict, **moments) -> DeclarativeHolding:
    return DeclarativeHolding(subscription_id=data["subscription_id"], user_id=data["user_id"],
                              company_id=data.get("scope_company_id") or data["company_id"],
                              service_code=data["service_code"], **moments)

"""The users' interests as catalog tells them: their subscriptions to the "Functional preference:
…" and "Receive …" services, kept from catalog's subscription events (the handlers), and each
change a person made written to the company's administration trail.

Setting an interest IS subscribing (through catalog's API), unsetting it IS cancelling: identity
only reads the result, so the two can never disagree for long — and not at all for a caller, since
the gateway holds catalog's answer until identity has handled its event.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit.events import Event
from portalkit.signed_identity import Identity

from . import audit_trail
from .models import InterestSubscription, User

# catalog's service codes (their English titles, slugged) of the two interest families.
INTEREST_PREFIXES = ("functional-preference-", "receive-")


def is_interest(service_code: str) -> bool:
    return service_code.startswith(INTEREST_PREFIXES)


def on_subscription_accepted(session: Session, event: Event) -> None:
    data, at = event.data, event.occurred_at
    if not is_interest(data["service_code"]):
        return
    row = session.get(InterestSubscription, data["subscription_id"])
    if row is None:
        session.add(_row(data, granted_at=at))
    elif row.ended_at is not None and at > row.ended_at:
        row.granted_at, row.ended_at = at, None  # accepted again after it ended
    elif row.granted_at is None:
        row.granted_at = at
        return  # an end arrived first: the interest stays void, and nothing changed
    else:
        return  # told twice
    _trail(session, data, "interest_set")


def on_subscription_ended(session: Session, event: Event) -> None:
    """A cancelled or expired interest; one that ends before its acceptance arrives stays void."""
    data, at = event.data, event.occurred_at
    if not is_interest(data["service_code"]):
        return
    row = session.get(InterestSubscription, data["subscription_id"])
    if row is None:
        session.add(_row(data, ended_at=at))
        return
    if row.ended_at is None and (row.granted_at is None or at >= row.granted_at):
        row.ended_at = at
        _trail(session, data, "interest_cleared")


def _row(data: dict, **moments) -> InterestSubscription:
    return InterestSubscription(subscription_id=data["subscription_id"], user_id=data["user_id"],
                                company_id=data["company_id"], service_id=data["service_id"],
                                service_code=data["service_code"],
                                service_title=(data.get("service_title") or "")[:200], **moments)


def _trail(session: Session, data: dict, action: str) -> None:
    """A change a person made (not the portal's automatic grants) goes to the company's trail."""
    if data.get("automatic") or not data.get("actor_id"):
        return
    user = session.get(User, data["user_id"])
    audit_trail.record(session, Identity(user_id=data["actor_id"]), action, data["company_id"], data["user_id"],
                       (user.email or user.display_name) if user else data.get("email") or "",
                       service_code=data["service_code"], service_title=data.get("service_title") or "")


def live_interests(session: Session, user_ids: list[str]) -> dict[str, list[InterestSubscription]]:
    """Each user's interests in force, by user id (the codes in order)."""
    found: dict[str, list[InterestSubscription]] = {user_id: [] for user_id in user_ids}
    if not user_ids:
        return found
    rows = session.scalars(select(InterestSubscription).where(
        InterestSubscription.user_id.in_(user_ids), InterestSubscription.granted_at.is_not(None),
        InterestSubscription.ended_at.is_(None)).order_by(InterestSubscription.service_code))
    for row in rows:
        found[row.user_id].append(row)
    return found

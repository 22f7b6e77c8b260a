"""How a subscription ends, and why (stable reason codes), each end told through the outbox.

A held right that lapses (its date, its company's contract) expires; anything else — the user,
an administrator, a retired service, a lowered level, a deleted account — cancels it. A request
still waiting is always cancelled: it never was a right.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from portalkit.db import utcnow

from .directory import recipient_of
from .events import tell
from .models import ACCEPTED, CANCELLED, EXPIRED, Service, Subscription

UNSUBSCRIBED = "unsubscribed"
CANCELLED_BY_ADMINISTRATOR = "cancelled_by_administrator"
SECURITY_LEVEL_LOWERED = "security_level_lowered"
SECURITY_LEVEL_RAISED = "security_level_raised"  # the operator raised the service's level
USER_DELETED = "user_deleted"
SERVICE_RETIRED = "service_retired"
CONTRACT_ENDED = "contract_ended"
EXPIRY_DATE = "expiry_date"
SUPERVISION_MOVED = "supervision_moved"  # the associate was linked under another company

# Ends that are a lapse: the right expires rather than being cancelled.
LAPSES = {CONTRACT_ENDED, EXPIRY_DATE}


def end(session: Session, subscription: Subscription, service: Service, reason: str,
        recipient: dict | None = None, actor_id: str | None = None) -> None:
    """End a live subscription (held or requested) and tell the portal: the right ends at once.

    ``actor_id``: the user who ended it, when a person did (the administration trail names them)."""
    recipient = recipient or recipient_of(session, subscription.user_id)
    expires = reason in LAPSES and subscription.status == ACCEPTED
    subscription.status = EXPIRED if expires else CANCELLED
    subscription.decided_at, subscription.reason = utcnow(), reason
    subscription.renewal_requested_at = None
    tell(session, "SubscriptionExpired" if expires else "SubscriptionCancelled", subscription, service,
         recipient, **({"actor_id": actor_id} if actor_id else {}))

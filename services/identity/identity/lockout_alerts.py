"""When many accounts of one company lock within a while, its administrators are told: a guessing
attack on the company's logins, or a device signing in with an old password, is theirs to see."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .administrators import administrators_of
from .events import recipient
from .models import SignInAudit, User
from .settings import IdentitySettings


def administrators_to_alert(session: Session, settings: IdentitySettings, user: User,
                            now: datetime) -> tuple[list[dict], int]:
    """The administrators to tell of the lockout of ``user`` now, and the count they are told.

    They are told once, when the number of the company's accounts locked in the window reaches
    the threshold: this lockout is its last. Accounts that lock again count once.
    """
    threshold = settings.lockout_alert_accounts
    if not user.company_id or threshold <= 0:
        return [], 0
    since = now - timedelta(minutes=settings.lockout_alert_minutes)
    locked = set(session.scalars(
        select(SignInAudit.user_id).distinct().join(User, User.id == SignInAudit.user_id)
        .where(User.company_id == user.company_id, SignInAudit.reason == "lockout",
               SignInAudit.occurred_at > since)))
    if user.id in locked or len(locked) + 1 != threshold:
        return [], 0
    return [recipient(administrator) for administrator in administrators_of(session, user.company_id)
            if administrator.email], threshold

"""Use cases of a forgotten password: the reset mail (at most one a minute, the same answer and
time whether the address is known or not) and the reset itself, which ends every session."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit.db import utcnow

from . import tokens
from .accounts import normalise_email
from .events import outbox, recipient, sessions_ended
from .models import OneTimeToken, User
from .password_policy import check_new_password
from .passwords import spend_hashing_time, store_password
from .settings import IdentitySettings

PURPOSE = "password_reset"


def request_reset(session: Session, settings: IdentitySettings, email: str) -> None:
    """Mail a reset link to the account of ``email``, if there is one that may sign in.

    Says nothing either way. Both ways cost one password hash, so that the answer's time does
    not tell a known address from an unknown one.
    """
    spend_hashing_time()
    # Under a row lock: two requests at the same moment must not both find no recent link.
    user = session.scalar(select(User).where(User.email == normalise_email(email)).with_for_update(of=User))
    if user is None or user.activated_at is None or user.password_hash is None or user.disabled_at is not None:
        return  # a disabled operator may not sign in: no link either
    now = utcnow()
    asked_lately = session.scalar(select(OneTimeToken.id).where(
        OneTimeToken.user_id == user.id, OneTimeToken.purpose == PURPOSE,
        OneTimeToken.created_at > now - timedelta(seconds=settings.reset_interval_seconds)).limit(1))
    if asked_lately:
        return  # the manual warns of repeated mails: one a minute at most
    token, record = tokens.issue(session, user, PURPOSE, timedelta(minutes=settings.reset_token_minutes))
    outbox.add(session, "PasswordResetRequested", {**recipient(user), "reset_token": token,
                                                   "expires_at": record.expires_at})
    session.commit()


def reset_profile(session: Session, token: str) -> User:
    """The account a valid reset link opens (its level and names, for the page's rules)."""
    return session.get(User, tokens.find_usable(session, token, PURPOSE).user_id)


def reset(session: Session, settings: IdentitySettings, token: str, password: str) -> User:
    """Set the new password, lift any lock, and end every open session of the user."""
    user = reset_profile(session, token)
    check_new_password(session, settings, user, password)
    tokens.consume(session, token, PURPOSE)
    store_password(session, user, password, settings.password_history)
    user.failed_sign_ins, user.locked_until = 0, None
    sessions_ended(session, user)
    session.commit()
    return user

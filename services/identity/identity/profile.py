"""Use cases of one's own account: the profile, the password change and the e-mail change."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.errors import PortalError, not_found
from portalkit.signed_identity import Identity

from . import signin, tokens
from .accounts import PROFILE_FIELDS, email_taken, normalise_email
from .directory import me
from .events import VENDOR, outbox, recipient, sessions_ended, user_updated
from .models import User
from .password_policy import check_new_password
from .passwords import store_password, verify_password
from .settings import IdentitySettings

EMAIL_CHANGE = "email_change"


def update_me(session: Session, identity: Identity, changes: dict) -> User:
    """Change one's own names, language, function and phones."""
    user = me(session, identity)
    for key in PROFILE_FIELDS:
        if key in changes:
            setattr(user, key, changes[key])
    user_updated(session, user)
    session.commit()
    return user


def change_password(session: Session, settings: IdentitySettings, identity: Identity,
                    current_password: str, new_password: str, user_agent: str = "") -> None:
    """Set a new password, given the current one; the caller's other sessions end.

    A session opened only to renew an expired password ends too: the user signs in again with
    the new one and gets a full session.
    """
    # Under a row lock, like a sign-in: a stolen session guessing the password is locked out
    # after as many wrong tries as a sign-in would be.
    user = session.scalar(select(User).where(User.id == identity.user_id).with_for_update(of=User))
    if user is None:
        raise not_found("user")
    if user.locked:
        raise signin.locked()
    if not verify_password(user.password_hash, current_password):
        signin.count_failure(session, settings, user, identity.client_ip or "", user_agent)
        session.commit()
        raise PortalError(400, "invalid_input", "The current password is wrong.",
                          {"current_password": ["wrong password"]})
    user.failed_sign_ins = 0
    check_new_password(session, settings, user, new_password)
    store_password(session, user, new_password, settings.password_history)
    sessions_ended(session, user, identity.session_id if identity.scope == "full" else None)
    session.commit()


def request_email_change(session: Session, settings: IdentitySettings, identity: Identity, new_email: str) -> None:
    """Mail a confirmation link to the new address; the old one stays the login until then.

    An address of another account is answered and mailed like a free one, so that the answer
    tells nobody whose it is; its confirmation then fails (409), told only to that mailbox.
    """
    user = me(session, identity)
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise PortalError(409, "email_in_use", "This is already your e-mail address.", {"new_email": ["yours already"]})
    token, record = tokens.issue(session, user, EMAIL_CHANGE, timedelta(hours=settings.email_change_token_hours),
                                 new_email=new_email)
    outbox.add(session, "EmailChangeRequested", {**recipient(user), "new_email": new_email,
                                                 "confirmation_token": token, "expires_at": record.expires_at})
    session.commit()


def confirm_email_change(session: Session, token: str) -> None:
    """Make the confirmed address the login; the previous one is told."""
    record = tokens.find_usable(session, token, EMAIL_CHANGE)
    user = session.get(User, record.user_id)
    if email_taken(session, record.new_email):
        raise _in_use()
    tokens.consume(session, token, EMAIL_CHANGE)
    previous, user.email = user.email, record.new_email
    outbox.add(session, "UserEmailChanged", {**recipient(user), "company_id": user.company_id or VENDOR,
                                             "previous_email": previous})
    user_updated(session, user)  # catalog and support keep the address for their own mails
    try:
        session.commit()
    except IntegrityError:  # taken by a concurrent change or creation since the check
        session.rollback()
        raise _in_use()


def _in_use() -> PortalError:
    return PortalError(409, "email_in_use", "This e-mail address is already used by an account.",
                       {"new_email": ["already used"]})

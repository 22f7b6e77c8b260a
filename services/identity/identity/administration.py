"""Use cases of the company administrator on users: create, modify, delete, unlock, and send
activation mails; each one is written to the administration trail."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.errors import PortalError
from portalkit.signed_identity import Identity

from . import access, audit_trail
from .accounts import PROFILE_FIELDS, USER_EXISTS_MESSAGE, ensure_email_free, new_user, normalise_email, send_activation
from .administrators import companies_left_without_administrator
from .events import outbox, sessions_ended, user_facts, user_updated
from .models import Company, User
from .settings import IdentitySettings


def create_user(session: Session, settings: IdentitySettings, identity: Identity, data: dict) -> User:
    """Create a user of an administered company; the activation link is mailed to them."""
    company = session.get(Company, access.target_company(session, identity, data.pop("company_id", None)))
    user, _token = new_user(session, settings, company, data)
    audit_trail.record(session, identity, "user_created", company.id, user.id, user.email,
                       security_level=user.security_level)
    _commit(session)
    return user


def update_user(session: Session, settings: IdentitySettings, identity: Identity, user_id: str,
                changes: dict) -> User:
    """Change an administered user's profile, level, or (before activation) e-mail address."""
    user = access.administered_user(session, identity, user_id)
    changed = sorted(key for key, value in changes.items() if getattr(user, key, None) != value)
    if "email" in changes and normalise_email(changes["email"]) != user.email:
        if user.activated_at is not None:
            raise PortalError(400, "invalid_input", "Only the user may change the address of an active account.",
                              {"email": ["the user changes it from their profile"]})
        ensure_email_free(session, normalise_email(changes["email"]))
        user.email = normalise_email(changes["email"])
        send_activation(session, settings, user)  # the link goes to the corrected address
    level = changes.get("security_level", user.security_level)
    if level > user.security_level and user.password_hash is not None:
        user.password_renewal_required = True  # the old password was never checked at this level
    user.security_level = level
    for key in PROFILE_FIELDS:
        if key in changes:
            setattr(user, key, changes[key])
    user_updated(session, user)
    audit_trail.record(session, identity, "user_updated", user.company_id, user.id, user.email or user.display_name,
                       fields=changed)
    _commit(session)
    return user


def delete_user(session: Session, identity: Identity, user_id: str) -> None:
    """Delete an administered user, who is mailed; never a company's last administrator."""
    user = access.administered_user(session, identity, user_id)
    orphaned = companies_left_without_administrator(session, user)
    if orphaned:
        raise PortalError(409, "last_administrator",
                          "This user is the last administrator of their company and cannot be deleted.",
                          {"company_id": orphaned})
    outbox.add(session, "UserDeleted", user_facts(user))
    sessions_ended(session, user)
    audit_trail.record(session, identity, "user_deleted", user.company_id, user.id, user.email or user.display_name)
    session.delete(user)
    session.commit()


def unlock_user(session: Session, identity: Identity, user_id: str) -> User:
    """Lift a lock after too many failed sign-ins."""
    user = access.administered_user(session, identity, user_id)
    was_locked = user.locked
    user.locked_until, user.failed_sign_ins = None, 0
    audit_trail.record(session, identity, "user_unlocked", user.company_id, user.id, user.email or "",
                       was_locked=was_locked)
    session.commit()
    return user


def send_activation_mails(session: Session, settings: IdentitySettings, identity: Identity,
                          user_ids: list[str]) -> dict:
    """Send a new activation link to each not-yet-activated user of the selection."""
    users = [access.administered_user(session, identity, user_id) for user_id in dict.fromkeys(user_ids)]
    sent, skipped = [], []
    for user in users:
        if user.email is None or user.activated_at is not None:
            skipped.append({"user_id": user.id, "reason": "no_email" if user.email is None else "already_active"})
            continue
        send_activation(session, settings, user)
        audit_trail.record(session, identity, "activation_mail_sent", user.company_id, user.id, user.email)
        sent.append(user.id)
    session.commit()
    return {"sent": sent, "skipped": skipped}


def _commit(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError:  # a concurrent creation took the address since the check
        session.rollback()
        raise PortalError(409, "user_exists", USER_EXISTS_MESSAGE, {"email": ["already used"]})

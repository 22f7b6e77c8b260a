"""Use cases of accounts coming to life: a new user, their activation mail, the three activation
steps, and the operator bootstrap."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.errors import PortalError

from . import tokens
from .events import outbox, recipient
from .models import User, new_id
from .password_policy import check_new_password
from .passwords import hash_password, store_password
from .settings import IdentitySettings

PROFILE_FIELDS = ("title", "first_name", "last_name", "language", "function", "office_phone", "mobile_phone")
# The administrator's manual's words for a duplicate address.
USER_EXISTS_MESSAGE = ("A user account already exists with this e-mail address. "
                       "Each user needs their own e-mail address.")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def bootstrap_operator(session: Session, email: str, password: str) -> bool:
    """Create the first operator if none exists yet (the Keycloak way); True if one was made."""
    if session.scalar(select(func.count()).select_from(User).where(User.is_operator)):
        return False
    session.add(User(email=normalise_email(email), first_name="Portal", last_name="Operator",
                     is_operator=True, security_level=3, password_hash=hash_password(password),
                     password_changed_at=utcnow(), activated_at=utcnow()))
    return True


def email_taken(session: Session, email: str) -> bool:
    return session.scalar(select(User.id).where(User.email == email)) is not None


def ensure_email_free(session: Session, email: str) -> None:
    if email_taken(session, email):
        raise PortalError(409, "user_exists", USER_EXISTS_MESSAGE, {"email": ["already used"]})


def new_user(session: Session, settings: IdentitySettings, company, data: dict,
             designated_administrator: bool = False) -> tuple[User, str]:
    """Create a not-yet-activated user of ``company`` and have the activation link mailed."""
    email = normalise_email(data["email"])
    ensure_email_free(session, email)
    user = User(**user_row(company.id, {**data, "email": email}), designated_administrator=designated_administrator)
    user.company = company
    session.add(user)
    session.flush()
    return user, send_activation(session, settings, user, first=True)


def user_row(company_id: str, data: dict) -> dict:
    """The columns of a new, not-yet-activated user (the caller has checked the address)."""
    return {"id": new_id(), "company_id": company_id, "email": data["email"],
            "security_level": data.get("security_level", 2),
            **{key: data[key] for key in PROFILE_FIELDS if data.get(key) is not None}}


def send_activation(session: Session, settings: IdentitySettings, user: User, first: bool = False) -> str:
    """Issue a new activation link (the old one stops working) and have it mailed."""
    token, record = tokens.issue(session, user, "activation", settings.activation_days_delta, first=first)
    outbox.add(session, "UserCreated", activation_event(user, user.company.name if user.company else "",
                                                        token, record.expires_at))
    return token


def activation_event(user, company_name: str, token: str, expires_at) -> dict:
    """The UserCreated event that has ``user`` (a User, or a row with its fields) mailed the link."""
    return {**recipient(user), "company_id": user.company_id, "company_name": company_name, "title": user.title,
            "security_level": user.security_level, "activation_token": token, "activation_expires_at": expires_at,
            "company_administrator": bool(getattr(user, "designated_administrator", False))}


def activation_profile(session: Session, token: str) -> User:
    """The prefilled profile of the account a valid activation link opens."""
    return session.get(User, tokens.find_usable(session, token, "activation").user_id)


def activate(session: Session, settings: IdentitySettings, token: str, profile: dict) -> User:
    """Finish the three activation steps: the account is active and can sign in at once."""
    user = activation_profile(session, token)
    password = profile.pop("password")
    for key in PROFILE_FIELDS:
        if key in profile and profile[key] is not None:
            setattr(user, key, profile[key])
    check_new_password(session, settings, user, password)
    tokens.consume(session, token, "activation")
    store_password(session, user, password, settings.password_history)
    user.activated_at = utcnow()
    outbox.add(session, "UserActivated", {
        **recipient(user), "company_id": user.company_id, "title": user.title,
        "security_level": user.security_level,
        "company_administrator": user.designated_administrator})
    session.commit()
    return user

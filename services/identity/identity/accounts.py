"""Use cases of accounts: operator bootstrap, company registration, activation, sign-in checks."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.errors import PortalError, not_found

from . import tokens
from .events import outbox, recipient
from .models import Company, SignInAudit, User
from .passwords import broken_rules, hash_password, verify_password
from .settings import IdentitySettings


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


def _ensure_email_free(session: Session, email: str) -> None:
    if session.scalar(select(User.id).where(User.email == email)):
        raise PortalError(409, "user_exists", "A user with this e-mail address already exists.",
                          {"email": ["already used"]})


def register_company(session: Session, settings: IdentitySettings, data: dict) -> tuple[Company, User, str]:
    """Create a client company and its future administrator, who gets an activation mail.

    Returns the activation token too, for the demo loader; routes never show it.
    """
    if session.scalar(select(Company.id).where(Company.number == data["number"])):
        raise PortalError(409, "company_exists", "A company with this number already exists.",
                          {"number": ["already used"]})
    parent_id = data.get("parent_id")
    if parent_id and session.get(Company, parent_id) is None:
        raise PortalError(400, "invalid_input", "The parent company does not exist.",
                          {"parent_id": ["unknown company"]})
    admin = data["administrator"]
    email = normalise_email(admin["email"])
    _ensure_email_free(session, email)
    company = Company(number=data["number"], name=data["name"], postcode=data.get("postcode", ""),
                      city=data.get("city", ""), parent_id=parent_id)
    session.add(company)
    session.flush()
    user = User(company_id=company.id, email=email, title=admin.get("title"),
                first_name=admin.get("first_name", ""), last_name=admin.get("last_name", ""),
                language=admin.get("language", "en"), designated_administrator=True,
                security_level=admin.get("security_level", 2))
    session.add(user)
    session.flush()
    outbox.add(session, "CompanyRegistered", {"company_id": company.id, "number": company.number,
                                              "name": company.name, "parent_id": parent_id})
    if parent_id:
        outbox.add(session, "AssociateLinked", {"company_id": parent_id, "associate_id": company.id,
                                                "associate_name": company.name})
    token = send_activation(session, settings, user)
    try:
        session.commit()
    except IntegrityError:  # a concurrent registration took the number or the address
        session.rollback()
        raise PortalError(409, "conflict", "The company or its administrator already exists.")
    return company, user, token


def link_associate(session: Session, company_id: str, associate_id: str) -> Company:
    """Put ``associate_id`` under ``company_id`` in the tree of third-party associates."""
    company, associate = session.get(Company, company_id), session.get(Company, associate_id)
    if company is None:
        raise not_found("company")
    if associate is None:
        raise PortalError(400, "invalid_input", "The associate company does not exist.",
                          {"company_id": ["unknown company"]})
    ancestor = company
    while ancestor is not None:  # refuse cycles: the associate may not be above the company
        if ancestor.id == associate.id:
            raise PortalError(409, "link_cycle", "This link would make a company its own associate.")
        ancestor = session.get(Company, ancestor.parent_id) if ancestor.parent_id else None
    associate.parent_id = company.id
    outbox.add(session, "AssociateLinked", {"company_id": company.id, "associate_id": associate.id,
                                            "associate_name": associate.name})
    session.commit()
    return associate


def send_activation(session: Session, settings: IdentitySettings, user: User) -> str:
    """Issue a new activation link (the old one stops working) and have it mailed."""
    token, record = tokens.issue(session, user, "activation", settings.activation_days_delta)
    outbox.add(session, "UserCreated", {
        **recipient(user), "company_id": user.company_id,
        "company_name": user.company.name if user.company else "", "title": user.title,
        "security_level": user.security_level, "activation_token": token,
        "activation_expires_at": record.expires_at})
    return token


def activation_profile(session: Session, token: str) -> User:
    """The prefilled profile of the account a valid activation link opens."""
    return session.get(User, tokens.find_usable(session, token, "activation").user_id)


def activate(session: Session, token: str, profile: dict) -> User:
    """Finish the three activation steps: the account is active and can sign in at once."""
    user = activation_profile(session, token)
    password = profile.pop("password")
    for key in ("title", "first_name", "last_name", "language", "function", "office_phone", "mobile_phone"):
        if key in profile and profile[key] is not None:
            setattr(user, key, profile[key])
    broken = broken_rules(password, user.security_level, user.email, (user.first_name, user.last_name))
    if broken:
        raise PortalError(400, "password_rules", "The password does not meet the rules.",
                          {"password": broken})
    tokens.consume(session, token, "activation")
    now = utcnow()
    user.password_hash, user.password_changed_at, user.activated_at = hash_password(password), now, now
    outbox.add(session, "UserActivated", {
        **recipient(user), "company_id": user.company_id, "title": user.title,
        "security_level": user.security_level,
        "company_administrator": user.designated_administrator})
    session.commit()
    return user


def check_credentials(session: Session, settings: IdentitySettings, email: str, password: str,
                      ip_address: str, user_agent: str) -> User:
    """The user these credentials open, or the refusal; every attempt on an account is audited."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    now = utcnow()
    if user is None or user.password_hash is None:
        verify_password(None, password)  # same time as a real check: addresses don't leak
        raise _invalid()
    if user.locked_until is not None and user.locked_until > now:
        _audit(session, user, False, "locked", ip_address, user_agent)
        session.commit()
        raise PortalError(423, "account_locked", "This account is locked for a while after too many failed sign-ins.")
    if not verify_password(user.password_hash, password):
        user.failed_sign_ins += 1
        if user.failed_sign_ins >= settings.lockout_threshold(user.security_level):
            user.locked_until, user.failed_sign_ins = now + timedelta(minutes=settings.lockout_minutes), 0
            outbox.add(session, "UserLocked", {**recipient(user), "company_id": user.company_id or "vendor",
                                               "locked_until": user.locked_until})
        _audit(session, user, False, "bad_password", ip_address, user_agent)
        session.commit()
        raise _invalid()
    user.failed_sign_ins, user.locked_until, user.last_sign_in_at = 0, None, now
    _audit(session, user, True, "", ip_address, user_agent)
    session.commit()
    return user


def password_expired(settings: IdentitySettings, user: User) -> bool:
    if user.security_level < 2 or user.password_changed_at is None:
        return False
    return utcnow() - user.password_changed_at > timedelta(days=settings.password_max_age_days)


def _audit(session, user, succeeded, reason, ip_address, user_agent) -> None:
    session.add(SignInAudit(user_id=user.id, succeeded=succeeded, reason=reason,
                            ip_address=ip_address[:64], user_agent=user_agent[:300]))


def _invalid() -> PortalError:
    return PortalError(401, "invalid_credentials", "Wrong e-mail address or password.")

"""Who may administer which company's users: their own company with "User Management -
Administration"; with "User Management - Supervision Administration of <associate>" (catalog's
per-associate service, entitlement ``…supervision-administration@<associate>``) that associate
and the whole subtree below it, nothing above or beside. catalog reads it the same way."""
from __future__ import annotations

import functools

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit.entitlements import ADMINISTRATION, SUPERVISION
from portalkit.errors import PortalError, forbidden, not_found
from portalkit.openapi import needs_sign_in
from portalkit.signed_identity import Identity
from portalkit.web import caller

from .models import Company, User

PASSWORD_CHANGE_SCOPE = "password_change"


def administrator(view):
    """Refuse callers who administer no company at all (401 anonymous, 403 others)."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        identity = _full_session(caller())
        if not (identity.companies_with(ADMINISTRATION) or identity.companies_with(SUPERVISION)):
            raise forbidden("Your subscriptions do not include this service.")
        return view(*args, **kwargs)
    return needs_sign_in(wrapper)


def signed_in_or_renewing(view):
    """Refuse anonymous callers only: a session opened for an expired password may still call."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        identity = caller()
        if not identity.signed_in or identity.scope not in ("full", PASSWORD_CHANGE_SCOPE):
            raise PortalError(401, "not_signed_in", "Sign in first.")
        return view(*args, **kwargs)
    return needs_sign_in(wrapper)


def _full_session(identity: Identity) -> Identity:
    if not identity.signed_in:
        raise PortalError(401, "not_signed_in", "Sign in first.")
    if identity.scope != "full":
        raise forbidden("This session may only change its password.", "password_change_required")
    return identity


def associates_below(session: Session, company_ids: set[str]) -> set[str]:
    """Every company in the subtrees under ``company_ids``, the roots themselves excluded."""
    if not company_ids:
        return set()
    tree = select(Company.id).where(Company.parent_id.in_(company_ids)).cte("associates", recursive=True)
    # UNION, not UNION ALL: it ends even on a cycle that operators somehow made.
    tree = tree.union(select(Company.id).where(Company.parent_id == tree.c.id))
    return set(session.scalars(select(tree.c.id)))


def administered_companies(session: Session, identity: Identity) -> set[str]:
    """Companies whose users the caller administers."""
    supervised = identity.companies_with(SUPERVISION)
    return identity.companies_with(ADMINISTRATION) | supervised | associates_below(session, supervised)


def scope(session: Session, identity: Identity, company_id: str | None = None) -> set[str]:
    """The companies a call works on: the one picked (404 unless administered), else all."""
    companies = administered_companies(session, identity)
    if company_id:
        if company_id not in companies:
            raise not_found("company")
        return {company_id}
    return companies


def chosen_scope(session: Session, identity: Identity, query: dict) -> set[str]:
    """The companies of a list: ``company`` (one picked) and ``companies`` (the associates screen's
    picker, any number) each checked — 404 unless administered — else all administered."""
    chosen = set(query.get("companies") or ())
    if query.get("company"):
        chosen.add(query["company"])
    if not chosen:
        return administered_companies(session, identity)
    if not chosen <= administered_companies(session, identity):
        raise not_found("company")
    return chosen


def target_company(session: Session, identity: Identity, company_id: str | None) -> str:
    """The company something is created in: the one picked, else the caller's own."""
    companies = administered_companies(session, identity)
    chosen = company_id or identity.company_id
    if chosen in companies:
        return chosen
    if company_id:
        raise not_found("company")
    raise PortalError(400, "invalid_input", "Pick the company to work on.", {"company_id": ["required"]})


def administered_user(session: Session, identity: Identity, user_id: str) -> User:
    """A user of a company the caller administers; 404 for anyone else, whoever they are."""
    user = session.get(User, user_id) if len(user_id) <= 32 else None
    if user is None or user.company_id not in administered_companies(session, identity):
        raise not_found("user")
    return user

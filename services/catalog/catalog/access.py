"""Who may administer which company's users and subscriptions, read from the caller's entitlements.

An administrator holds ``user-management-administration@<own company>``; a supervisor holds
``user-management-supervision-administration@<associate>`` and administers that associate and
the whole subtree of associates below it (identity reads it the same way). Another company's data
answers 404, as if it did not exist.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit.entitlements import ADMINISTRATION, SUPERVISION
from portalkit.errors import PortalError, forbidden, not_found
from portalkit.signed_identity import Identity

from .models import Company, Member


def administered_companies(session: Session, identity: Identity) -> set[str]:
    """The companies whose users the caller administers: their own, and supervised subtrees."""
    supervised = identity.companies_with(SUPERVISION)
    return identity.companies_with(ADMINISTRATION) | supervised | _below(session, supervised)


def _below(session: Session, company_ids: set[str]) -> set[str]:
    if not company_ids:
        return set()
    tree = select(Company.id).where(Company.parent_id.in_(company_ids)).cte("below", recursive=True)
    # UNION, not UNION ALL: it ends even on a cycle.
    tree = tree.union(select(Company.id).where(Company.parent_id == tree.c.id))
    return set(session.scalars(select(tree.c.id)))


def administered_company(session: Session, identity: Identity, company_id: str | None) -> str:
    """The company an administrator's call is about (default: their own), checked."""
    companies = administered_companies(session, identity)
    if not companies:
        raise forbidden("Only a company's administrators may do this.", "not_an_administrator")
    company_id = company_id or identity.company_id
    if company_id not in companies:
        raise not_found("company")
    return company_id


def administered_member(session: Session, identity: Identity, user_id: str) -> Member:
    """A user of a company the caller administers (404 for anyone else)."""
    member = session.get(Member, user_id)
    if member is None or member.company_id not in administered_companies(session, identity):
        raise not_found("user")
    return member


def administers(session: Session, identity: Identity, company_id: str) -> bool:
    return company_id in administered_companies(session, identity)


def member_of(session: Session, identity: Identity) -> Member:
    """The caller as a member of a client company; the catalog knows users from their creation."""
    if identity.company_id is None:
        raise forbidden("Only the users of a client company subscribe to services.", "not_a_company_user")
    member = session.get(Member, identity.user_id)
    if member is None:
        # identity has never told the catalog of this user (their UserCreated is not in yet).
        raise PortalError(409, "member_unknown",
                          "The catalog does not know your account yet; try again in a moment.")
    return member

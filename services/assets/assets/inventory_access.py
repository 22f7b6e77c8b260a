"""Whose inventory a caller sees: their own company's, and, with "User Management - Supervision
Administration of <associate>" (entitlement ``…supervision-administration@<associate>``), that
associate's and its whole subtree's — as identity and the catalog read supervision. Another
company's answers 404, as if it did not exist."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit.entitlements import SUPERVISION
from portalkit.errors import forbidden, not_found
from portalkit.signed_identity import Identity

from .models import Company


def seen_companies(session: Session, identity: Identity) -> set[str]:
    """The companies whose holdings ``identity`` sees."""
    if identity.company_id is None:
        raise forbidden("Only the users of a client company have an inventory.", "not_a_company_user")
    supervised = identity.companies_with(SUPERVISION)
    return {identity.company_id} | supervised | _below(session, supervised)


def chosen_companies(session: Session, identity: Identity, company_id: str | None) -> set[str]:
    """The company picked (404 unless seen), else every company the caller sees."""
    companies = seen_companies(session, identity)
    if company_id is None:
        return companies
    if company_id not in companies:
        raise not_found("company")
    return {company_id}


def _below(session: Session, company_ids: set[str]) -> set[str]:
    if not company_ids:
        return set()
    tree = select(Company.id).where(Company.parent_id.in_(company_ids)).cte("below", recursive=True)
    # UNION, not UNION ALL: it ends even on a cycle.
    tree = tree.union(select(Company.id).where(Company.parent_id == tree.c.id))
    return set(session.scalars(select(tree.c.id)))

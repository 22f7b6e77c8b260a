"""Who sees which support requests: the scopes of the list and the one rule every route of a
request applies (another company's, or one outside the caller's scope, answers 404 as if absent).

- ``own``: the requests one opened or follows, with "Request service";
- ``company``: every request of one's company, with "Request service - Administration";
- ``supervised``: with "Request Service - Supervision" for a company (``<code>@<company>``), the
  requests of that company and of its whole subtree of associates — nothing above it or beside it.
"""
from __future__ import annotations

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from portalkit.entitlements import REQUEST_SERVICE, REQUEST_SERVICE_ADMINISTRATION, REQUEST_SERVICE_SUPERVISION
from portalkit.errors import PortalError, forbidden, not_found
from portalkit.signed_identity import Identity

from .models import Company, RequestFollower, SupportRequest

SCOPES = ("own", "company", "supervised")
ANY_RIGHT = (REQUEST_SERVICE, REQUEST_SERVICE_ADMINISTRATION, REQUEST_SERVICE_SUPERVISION)


def client_of_a_company(identity: Identity) -> None:
    """Refuse operators and callers without a company (support's client routes are a company's)."""
    if identity.company_id is None or identity.operator:
        raise forbidden("Only the users of a client company have support requests here.", "not_a_company_user")


def holds_any(identity: Identity) -> bool:
    return any(identity.companies_with(code) for code in ANY_RIGHT)


def supervised_companies(session: Session, identity: Identity) -> set[str]:
    """The companies of the caller's supervision entitlements and every associate below them."""
    roots = identity.companies_with(REQUEST_SERVICE_SUPERVISION)
    if not roots:
        return set()
    tree = select(Company.id).where(Company.id.in_(roots)).cte("supervised", recursive=True)
    # UNION, not UNION ALL: it ends even on a cycle.
    tree = tree.union(select(Company.id).where(Company.parent_id == tree.c.id))
    return set(session.scalars(select(tree.c.id))) | roots


def _own(identity: Identity):
    # Read with the company's index (and status's, when filtered), the followed ids hashed once
    # (an uncorrelated IN): measured faster than looking up each of a prolific requester's ids.
    followed = select(RequestFollower.request_id).where(RequestFollower.user_id == identity.user_id)
    return or_(SupportRequest.requester_id == identity.user_id, SupportRequest.id.in_(followed))


def scope_condition(session: Session, identity: Identity, scope: str):
    """The SQL condition of the requests in ``scope`` (403 without the scope's right)."""
    client_of_a_company(identity)
    if scope == "own":
        if not identity.holds(REQUEST_SERVICE):
            raise forbidden("Your subscriptions do not include \"Request service\".")
        return _own(identity) & (SupportRequest.company_id == identity.company_id)
    if scope == "company":
        if not identity.holds(REQUEST_SERVICE_ADMINISTRATION):
            raise forbidden("Your subscriptions do not include \"Request service - Administration\".")
        return SupportRequest.company_id == identity.company_id
    if scope == "supervised":
        companies = supervised_companies(session, identity)
        if not companies:
            raise forbidden("Your subscriptions do not include \"Request Service - Supervision\".")
        return SupportRequest.company_id.in_(sorted(companies))
    raise PortalError(400, "invalid_input", "Some fields are invalid.", {"scope": [f"One of {', '.join(SCOPES)}."]})


def visible_condition(session: Session, identity: Identity):
    """Every request the caller may read, whatever the scope (403 without any support right)."""
    client_of_a_company(identity)
    if not holds_any(identity):
        raise forbidden("Your subscriptions do not include a request service.")
    conditions = []
    for scope in SCOPES:
        try:
            conditions.append(scope_condition(session, identity, scope))
        except PortalError:
            continue
    return or_(*conditions) if conditions else false()


def find_visible(session: Session, identity: Identity, request_id: str, for_update: bool = False) -> SupportRequest:
    """The request if the caller may read it; 404 otherwise (absent or not theirs alike)."""
    statement = select(SupportRequest).where(SupportRequest.id == request_id,
                                             visible_condition(session, identity))
    if for_update:
        statement = statement.with_for_update(of=SupportRequest)
    request = session.scalar(statement)
    if request is None:
        raise not_found("support request")
    return request


def may_decide(session: Session, identity: Identity, request: SupportRequest) -> bool:
    """The requester's decisions (resolve, close, reopen): the requester, the company's request
    administrators, and its supervisors; a follower comments only."""
    if request.requester_id == identity.user_id:
        return True
    if request.company_id == identity.company_id and identity.holds(REQUEST_SERVICE_ADMINISTRATION):
        return True
    return request.company_id in supervised_companies(session, identity)

"""Use cases of access requests (the sign-in page's « identifiants perdus », for people with no
credentials at all): filing one, which reaches the company's administrators when the company is
known and has any, else the vendor's operators; and deciding it — accepted, the account is
created as any user is (its activation mail follows); refused, the requester is mailed.

Filing says nothing back: whether the address has an account or the company exists, the answer
is the same 202, and each way takes the same reads and one insert with its event (measured in
the unit test client, 2026-12-02, 80 of each interleaved: medians 6.8, 7.0 and 7.0 ms). An
address that has an account already gets no second one: its holder is mailed the way back in
(sign-in, forgotten password) instead, and nobody has anything to decide.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.errors import PortalError, not_found
from portalkit.signed_identity import Identity

from . import access, audit_trail
from .accounts import USER_EXISTS_MESSAGE, new_user, normalise_email
from .administrators import administrators_of
from .events import outbox, recipient
from .models import AccessRequest, Company, User
from .settings import IdentitySettings

PENDING, ACCEPTED, REFUSED = "pending", "accepted", "refused"
SUPERSEDED, EXISTING_ACCOUNT = "superseded", "existing_account"


def file_request(session: Session, data: dict, language: str) -> None:
    """Record a request and have it mailed to whoever decides it (or its address's holder)."""
    email = normalise_email(data["email"])
    company = company_named(session, data["company"])
    request = AccessRequest(email=email, first_name=data["first_name"], last_name=data["last_name"],
                            phone=data.get("phone") or "", company_text=data["company"],
                            company_id=company.id if company else None, message=data.get("message") or "",
                            language=data.get("language") or language)
    # Every way takes the same steps (the answer's time must not tell them apart): the older
    # requests of the address are superseded (the newer one stands, or none for an address that
    # has an account since), and the deciders are looked up.
    for older in session.scalars(select(AccessRequest).where(AccessRequest.email == email,
                                                             AccessRequest.status == PENDING)):
        older.status, older.decided_at = SUPERSEDED, utcnow()
    deciders = [user for user in administrators_of(session, company.id)
                if user.activated_at is not None and user.email] if company else []
    request.routed_to = "administrators" if deciders else "operators"
    if not deciders:
        deciders = list(session.scalars(select(User).where(User.is_operator, User.activated_at.is_not(None),
                                                           User.disabled_at.is_(None), User.email.is_not(None))
                                        .order_by(User.id)))
    holder = session.scalar(select(User).where(User.email == email))
    if holder is not None:
        request.status, request.routed_to = EXISTING_ACCOUNT, "holder"
    session.add(request)
    session.flush()
    if holder is not None:
        outbox.add(session, "AccessRequestedForExistingAccount",
                   {**recipient(holder), "request_id": request.id, "activated": holder.activated_at is not None})
    else:
        outbox.add(session, "AccessRequested", {**facts(request), "phone": request.phone,
                                                "company_text": request.company_text, "message": request.message,
                                                "routed_to": request.routed_to,
                                                "recipients": [recipient(user) for user in deciders]})
    session.commit()


def company_named(session: Session, text: str) -> Company | None:
    """The company a requester names: by its number, else by its name if only one has it (any case)."""
    wanted = text.strip().lower()
    if not wanted:
        return None
    by_number = session.scalar(select(Company).where(func.lower(Company.number) == wanted).limit(1))
    if by_number is not None:
        return by_number
    by_name = list(session.scalars(select(Company).where(func.lower(Company.name) == wanted).limit(2)))
    return by_name[0] if len(by_name) == 1 else None


def facts(request: AccessRequest) -> dict:
    """What the events about a request say of its requester and company."""
    return {"request_id": request.id, "email": request.email, "first_name": request.first_name,
            "last_name": request.last_name, "language": request.language, "company_id": request.company_id,
            "company_name": request.company.name if request.company else ""}


# --- deciding ---------------------------------------------------------------------------------
def decidable(session: Session, identity: Identity) -> list:
    """The WHERE of the requests the caller may decide: any for operators, else those of the
    companies they administer."""
    if identity.operator:
        return []
    return [AccessRequest.company_id.in_(access.administered_companies(session, identity))]


def list_pending(session: Session, identity: Identity, query: dict) -> tuple[list[AccessRequest], int]:
    """The requests waiting for the caller's decision, oldest first."""
    conditions = [AccessRequest.status == PENDING, *decidable(session, identity)]
    if query.get("routed_to"):
        conditions.append(AccessRequest.routed_to == query["routed_to"])
    total = session.scalar(select(func.count()).select_from(AccessRequest).where(*conditions))
    rows = session.scalars(select(AccessRequest).where(*conditions)
                           .order_by(AccessRequest.created_at, AccessRequest.id)
                           .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"]))
    return list(rows), total


def _pending(session: Session, identity: Identity, request_id: str) -> AccessRequest:
    """A request the caller may decide (404 for another company's), still waiting (else 409)."""
    # Locked, so that two deciders never both act on it; OF the request alone: its company is
    # joined on the nullable side, which PostgreSQL cannot lock.
    request = session.scalar(select(AccessRequest).where(AccessRequest.id == request_id)
                             .with_for_update(of=AccessRequest)) if len(request_id) <= 32 else None
    visible = request is not None and request.status in (PENDING, ACCEPTED, REFUSED, SUPERSEDED) and (
        identity.operator or request.company_id in access.administered_companies(session, identity))
    if not visible:
        raise not_found("access_request")
    if request.status != PENDING:
        raise PortalError(409, "already_decided", "This request has been decided already.")
    return request


def accept(session: Session, settings: IdentitySettings, identity: Identity, request_id: str, data: dict) -> AccessRequest:
    """Create the requester's account in the request's company (an operator may name another
    one, and must for a company not found); the activation mail follows."""
    request = _pending(session, identity, request_id)
    company = _company_chosen(session, request, data if identity.operator else {})
    user, _token = new_user(session, settings, company, {
        "email": request.email, "first_name": request.first_name, "last_name": request.last_name,
        "language": request.language, "office_phone": request.phone,
        "security_level": data.get("security_level", 2)})
    request.status, request.decided_at, request.decided_by = ACCEPTED, utcnow(), identity.user_id
    request.user_id, request.company = user.id, company
    session.flush()
    audit_trail.record(session, identity, "user_created", company.id, user.id, user.email,
                       security_level=user.security_level, access_request_id=request.id)
    audit_trail.record(session, identity, "access_request_accepted", company.id, request.id, request.email,
                       user_id=user.id)
    outbox.add(session, "AccessRequestDecided", {**facts(request), "decision": ACCEPTED, "user_id": user.id})
    try:
        session.commit()
    except IntegrityError:  # the address got an account since the check
        session.rollback()
        raise PortalError(409, "user_exists", USER_EXISTS_MESSAGE, {"email": ["already used"]})
    return request


def _company_chosen(session: Session, request: AccessRequest, choice: dict) -> Company:
    """The company an operator names (by id or number), else the one the request names."""
    if choice.get("company_number"):
        company = session.scalar(select(Company).where(Company.number == choice["company_number"]))
        field, given = "company_number", True
    else:
        company_id = choice.get("company_id") or request.company_id
        company = session.get(Company, company_id) if company_id and len(company_id) <= 32 else None
        field, given = "company_id", bool(company_id)
    if company is None:
        raise PortalError(400, "invalid_input", "Name the company the account belongs to.",
                          {field: ["unknown company" if given else "required"]})
    return company


def refuse(session: Session, identity: Identity, request_id: str, reason: str | None) -> AccessRequest:
    """Refuse a request: the requester is mailed, with the reason if one is given."""
    request = _pending(session, identity, request_id)
    request.status, request.decided_at, request.decided_by = REFUSED, utcnow(), identity.user_id
    request.reason = reason or ""
    if request.company_id:
        audit_trail.record(session, identity, "access_request_refused", request.company_id, request.id,
                           request.email, reason=request.reason)
    outbox.add(session, "AccessRequestDecided", {**facts(request), "decision": REFUSED, "reason": reason or None})
    session.commit()
    return request

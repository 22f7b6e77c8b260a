"""The vendor's operators edit the catalog: create, change and retire services.

Each creation or change is announced with ``ServicePublished`` (the gateway's menus follow it) and
a retirement with ``ServiceRetired``. A service's ``code`` is fixed at creation (the slug of its
first English title): entitlements name it, so a later change of title keeps every right.
Changes that take rights away apply at once: a raised security level ends the subscriptions of
holders below it, a newly needed contract ends those of companies without one, and retiring a
service ends all of its subscriptions.
"""
from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.entitlements import ADMINISTRATION
from portalkit.errors import PortalError, not_found

from . import contracts
from .endings import CONTRACT_ENDED, SECURITY_LEVEL_RAISED, SERVICE_RETIRED, end
from .events import service_published, service_retired
from .families import service_code
from .last_administrator import administration_rights, check_ending
from .models import LIVE, Company, Member, Service, Subscription
from .offer import ordered

EDITABLE = ("title_en", "title_fr", "description_en", "description_fr", "family", "needs_validation",
            "auto_subscribe", "min_security_level", "needs_contract")


def find(session: Session, service_id: str) -> Service:
    service = session.get(Service, service_id)
    if service is None:
        raise not_found("service")
    return service


def list_services(session: Session, query: dict) -> tuple[list[Service], int]:
    """Every service, retired ones too when asked, in the manual's order."""
    conditions = []
    if not query.get("retired"):
        conditions.append(Service.retired_at.is_(None))
    if query.get("family"):
        conditions.append(Service.family == query["family"])
    if query.get("company"):
        conditions.append(Service.scope_company_id == query["company"])
    for word in (query.get("q") or "").lower().split():
        conditions.append(or_(*(func.lower(getattr(Service, column)).contains(word, autoescape=True)
                                for column in ("title_en", "title_fr", "description_en", "description_fr"))))
    total = session.scalar(select(func.count()).select_from(Service).where(*conditions))
    page, per_page = query["page"], query["per_page"]
    services = session.scalars(select(Service).where(*conditions).order_by(*ordered("en"))
                               .offset((page - 1) * per_page).limit(per_page)).all()
    return list(services), total


def create_service(session: Session, data: dict, operator_id: str | None = None) -> Service:
    code = service_code(data["title_en"])
    if not code:
        raise _invalid("title_en", "A title needs letters or digits.")
    if session.scalar(select(Service.id).where(Service.code == code)) is not None:
        raise PortalError(409, "service_exists", f"A service with the code {code!r} exists already.")
    scope = data.get("scope_company_id")
    if scope is not None and session.get(Company, scope) is None:
        raise _invalid("scope_company_id", "No such company.")
    service = Service(code=code, scope_company_id=scope, **{name: data[name] for name in EDITABLE})
    session.add(service)
    session.flush()
    service_published(session, service, operator_id, created=True)
    session.commit()
    return service


def edit_service(session: Session, service_id: str, data: dict, operator_id: str | None = None) -> Service:
    service = find(session, service_id)
    if service.retired_at is not None:
        raise PortalError(409, "service_retired", "A retired service cannot be changed.")
    level_raised = data.get("min_security_level", service.min_security_level) > service.min_security_level
    contract_added = data.get("needs_contract", service.needs_contract) and not service.needs_contract
    # Locked before anything else: the edit must not leave a company without administrator.
    rights = administration_rights(session) if service.code == ADMINISTRATION and (
        level_raised or contract_added) else None
    for name in EDITABLE:
        if name in data:
            setattr(service, name, data[name])
    service.updated_at = utcnow()
    session.flush()
    service_published(session, service, operator_id)
    if level_raised:
        rows = session.execute(
            select(Subscription, Member).join(Member, Member.user_id == Subscription.user_id)
            .where(Subscription.service_id == service.id, Subscription.status.in_(LIVE),
                   Member.security_level < service.min_security_level)).all()
        check_ending(rights, [subscription for subscription, _ in rows])
        for subscription, member in rows:
            end(session, subscription, service, SECURITY_LEVEL_RAISED, member.recipient())
    if contract_added:
        rows = contracts.uncovered(session, Subscription.service_id == service.id)
        check_ending(rights, [subscription for subscription, _ in rows])
        for subscription, _ in rows:
            end(session, subscription, service, CONTRACT_ENDED)
    session.commit()
    return service


def retire_service(session: Session, service_id: str, operator_id: str | None = None) -> Service:
    """Withdraw a service from the catalog; every subscription to it ends."""
    service = find(session, service_id)
    if service.code == ADMINISTRATION:
        raise PortalError(409, "service_protected",
                          "Every company's administrators hold this service: it cannot be retired.")
    if service.retired_at is not None:
        raise PortalError(409, "service_retired", "This service is retired already.")
    service.retired_at = utcnow()
    service_retired(session, service, operator_id)
    for subscription in session.scalars(select(Subscription).where(
            Subscription.service_id == service.id, Subscription.status.in_(LIVE)).order_by(Subscription.id)):
        end(session, subscription, service, SERVICE_RETIRED)
    session.commit()
    return service


def _invalid(field: str, message: str) -> PortalError:
    return PortalError(400, "invalid_input", "Some fields are invalid.", {field: [message]})

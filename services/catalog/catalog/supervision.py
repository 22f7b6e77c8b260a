"""Supervision: one service per third-party associate, and the tree of companies it follows.

When identity links an associate under a company, the catalog adds "User Management -
Supervision Administration of <associate>", scoped to that company. Its subscription grants the
entitlement ``user-management-supervision-administration@<associate>``: one entitlement names
exactly one company its holder administers, so ``Identity.companies_with(SUPERVISION)`` is the set
of associates the holder administers. The whole subtree is reachable: a company's users are
offered the supervision services of every associate below it (associates of associates too), each
granted on its own, so supervising a subsidiary never silently extends to that subsidiary's shops.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.entitlements import SUPERVISION

from .endings import SUPERVISION_MOVED, end
from .events import service_published, service_retired
from .families import service_code
from .models import LIVE, Company, Service, Subscription

TITLES = {"en": "User Management - Supervision Administration of {name}",
          "fr": "Gestion des utilisateurs - Administration en supervision de {name}"}
# Used when the manual's generic service (the model of the per-associate ones) is not seeded.
DEFAULTS = {"family": "Management", "needs_validation": True, "auto_subscribe": False,
            "min_security_level": 1, "needs_contract": False, "description_en": "", "description_fr": ""}


def below(session: Session, company_id: str | None) -> set[str]:
    """Every associate under ``company_id``, at any depth."""
    found: set[str] = set()
    level = {company_id} if company_id else set()
    while level:
        level = set(session.scalars(select(Company.id).where(Company.parent_id.in_(level)))) - found
        found |= level
    return found


def above(session: Session, company_id: str) -> set[str]:
    """Every company ``company_id`` is an associate of, at any depth."""
    found: set[str] = set()
    company = session.get(Company, company_id)
    while company is not None and company.parent_id and company.parent_id not in found:
        found.add(company.parent_id)
        company = session.get(Company, company.parent_id)
    return found


def supervision_service(session: Session, associate_id: str) -> Service | None:
    return session.scalar(select(Service).where(Service.supervised_company_id == associate_id))


def on_associate_linked(session: Session, parent_id: str, associate_id: str, name: str) -> Service:
    """Add the associate's supervision service under its company, or move it there.

    Moved under another company, the service's holders that are no longer above the associate
    lose it.
    """
    service = supervision_service(session, associate_id)
    if service is None:
        return _create(session, parent_id, associate_id, name)
    if service.retired_at is not None:  # unlinked once, linked again: offered anew
        service.retired_at = None
        service.scope_company_id = parent_id
        service_published(session, service)
    if service.scope_company_id != parent_id:
        service.scope_company_id = parent_id
        allowed = above(session, associate_id)
        for subscription in session.scalars(select(Subscription).where(
                Subscription.service_id == service.id, Subscription.status.in_(LIVE),
                Subscription.company_id.not_in(allowed))):
            end(session, subscription, service, SUPERVISION_MOVED)
    return service


def on_associate_unlinked(session: Session, parent_id: str, associate_id: str) -> Service | None:
    """The associate left the tree: its supervision service is withdrawn and its holders lose it.

    Nothing happens when the associate has moved under another company since (a late event).
    """
    service = supervision_service(session, associate_id)
    if service is None or service.retired_at is not None or service.scope_company_id != parent_id:
        return service
    service.retired_at = utcnow()
    service_retired(session, service)
    for subscription in session.scalars(select(Subscription).where(
            Subscription.service_id == service.id, Subscription.status.in_(LIVE)).order_by(Subscription.id)):
        end(session, subscription, service, SUPERVISION_MOVED)
    return service


def add_missing(session: Session) -> list[Service]:
    """Give every associate linked before the catalog knew supervision its service (at seed time)."""
    covered = select(Service.supervised_company_id).where(Service.supervised_company_id.is_not(None))
    return [_create(session, company.parent_id, company.id, company.name) for company in session.scalars(
        select(Company).where(Company.parent_id.is_not(None), Company.id.not_in(covered)).order_by(Company.id))]


def _create(session: Session, parent_id: str, associate_id: str, name: str) -> Service:
    model = session.scalar(select(Service).where(Service.code == SUPERVISION))
    fields = DEFAULTS if model is None else {
        key: getattr(model, key) for key in DEFAULTS}
    title_en, title_fr = (TITLES[language].format(name=name or associate_id) for language in ("en", "fr"))
    code = service_code(title_en)
    if session.scalar(select(Service.id).where(Service.code == code)) is not None:
        code = f"{code}-{service_code(associate_id)}"  # two associates of the same name
    service = Service(code=code, title_en=title_en, title_fr=title_fr, grants_code=SUPERVISION,
                      scope_company_id=parent_id, supervised_company_id=associate_id, **fields)
    session.add(service)
    session.flush()
    service_published(session, service)
    return service

"""The offer: which services of the catalog a user may still subscribe to, in their language."""
from __future__ import annotations

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from portalkit.signed_identity import Identity

from .families import FAMILIES, family_title, is_french
from .models import LIVE, Service, Subscription

# The manual lists the families in this order; the offer keeps it.
FAMILY_ORDER = case({family: rank for rank, family in enumerate(FAMILIES)}, value=Service.family,
                    else_=len(FAMILIES))


def offered_to(company_id: str | None):
    """The condition on services a user of ``company_id`` may see: active, and for every
    company or for theirs alone."""
    return and_(Service.retired_at.is_(None),
                or_(Service.scope_company_id.is_(None), Service.scope_company_id == company_id))


def is_offered(service: Service, company_id: str | None) -> bool:
    return service.retired_at is None and service.scope_company_id in (None, company_id)


def matching(query: dict, language: str) -> list:
    """Conditions of the family and free-text filters, the text searched in ``language``."""
    conditions = []
    if query.get("family"):
        conditions.append(Service.family == query["family"])
    if query.get("q"):
        needle = query["q"].lower()
        title, description = text_columns(language)
        conditions.append(or_(func.lower(title).contains(needle, autoescape=True),
                              func.lower(description).contains(needle, autoescape=True)))
    return conditions


def text_columns(language: str):
    """The title and description as shown in ``language`` (French falls back on English)."""
    if not is_french(language):
        return Service.title_en, Service.description_en
    return (func.coalesce(func.nullif(Service.title_fr, ""), Service.title_en),
            func.coalesce(func.nullif(Service.description_fr, ""), Service.description_en))


def list_offer(session: Session, identity: Identity, query: dict) -> tuple[list[dict], int]:
    """The services the caller may still subscribe to: not held nor requested already."""
    held = exists().where(Subscription.service_id == Service.id,
                          Subscription.user_id == identity.user_id,
                          Subscription.scope_company_id == identity.company_id,
                          Subscription.status.in_(LIVE))
    conditions = [offered_to(identity.company_id), ~held, *matching(query, identity.language)]
    total = session.scalar(select(func.count()).select_from(Service).where(*conditions))
    page, per_page = query["page"], query["per_page"]
    services = session.scalars(select(Service).where(*conditions)
                               .order_by(FAMILY_ORDER, text_columns(identity.language)[0], Service.id)
                               .offset((page - 1) * per_page).limit(per_page))
    return [describe(service, identity.language) for service in services], total


def describe(service: Service, language: str) -> dict:
    """A service as the offer shows it, in ``language``."""
    return {"id": service.id, "code": service.code, "family": service.family,
            "family_title": family_title(service.family, language),
            "title": service.title(language), "description": service.description(language),
            "needs_validation": service.needs_validation, "auto_subscribe": service.auto_subscribe,
            "min_security_level": service.min_security_level,
            "needs_contract": service.needs_contract}

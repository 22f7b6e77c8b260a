"""A user's offer — the services they may still subscribe to, in their language — and how the
catalog's listings filter, order and show services (offered.py says what a company is offered)."""
from __future__ import annotations

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import Session

from portalkit.signed_identity import Identity

from .access import administered_member, member_of
from .company_settings import flags, settings_of
from .families import FAMILIES, family_title, is_french
from .eligibility import eligibility_of
from .models import LIVE, CompanyServiceSetting, Service, Subscription

# The manual lists the families in this order; the offer keeps it.
FAMILY_ORDER = case({family: rank for rank, family in enumerate(FAMILIES)}, value=Service.family,
                    else_=len(FAMILIES))


def matching(query: dict, language: str) -> list:
    """Conditions of the family, title and words filters, the texts searched in ``language``.

    Every word of ``q`` must appear in the title or the description; the search is literal.
    """
    conditions = []
    title, description = text_columns(language)
    if query.get("family"):
        conditions.append(Service.family == query["family"])
    if query.get("title"):
        conditions.append(func.lower(title).contains(query["title"].lower(), autoescape=True))
    for word in (query.get("q") or "").lower().split():
        conditions.append(or_(func.lower(title).contains(word, autoescape=True),
                              func.lower(description).contains(word, autoescape=True)))
    return conditions


def text_columns(language: str):
    """The title and description as shown in ``language`` (French falls back on English)."""
    if not is_french(language):
        return Service.title_en, Service.description_en
    return (func.coalesce(func.nullif(Service.title_fr, ""), Service.title_en),
            func.coalesce(func.nullif(Service.description_fr, ""), Service.description_en))


def ordered(language: str) -> tuple:
    return FAMILY_ORDER, text_columns(language)[0], Service.id


def held_by(user_id: str):
    """The condition on services ``user_id`` holds or has requested (for any company): the
    profile page's count; the offer itself follows eligibility.py."""
    return exists().where(Subscription.service_id == Service.id, Subscription.user_id == user_id,
                          Subscription.status.in_(LIVE))


def list_offer(session: Session, identity: Identity, query: dict) -> tuple[list[dict], int]:
    """The services a user may still subscribe to (eligibility.py: what subscribing accepts).

    The user is the caller, or a user an administrator names (``user_id``).
    """
    if query.get("user_id") and query["user_id"] != identity.user_id:
        member = administered_member(session, identity, query["user_id"])
    else:
        member = member_of(session, identity)
    conditions = [eligibility_of(session, member).condition(), *matching(query, identity.language)]
    total = session.scalar(select(func.count()).select_from(Service).where(*conditions))
    page, per_page = query["page"], query["per_page"]
    services = session.scalars(select(Service).where(*conditions).order_by(*ordered(identity.language))
                               .offset((page - 1) * per_page).limit(per_page)).all()
    settings = settings_of(session, member.company_id, [service.id for service in services])
    return [describe(service, identity.language, settings.get(service.id)) for service in services], total


def describe(service: Service, language: str, setting: CompanyServiceSetting | None = None) -> dict:
    """A service as the catalog shows it, in ``language``, with the company's choices applied."""
    return {"id": service.id, "code": service.code, "entitlement_code": service.entitlement_code,
            "family": service.family, "family_title": family_title(service.family, language),
            "title": service.title(language), "description": service.description(language),
            **flags(service, setting), "min_security_level": service.min_security_level,
            "needs_contract": service.needs_contract,
            "supervised_company_id": service.supervised_company_id,
            "created_at": service.created_at}

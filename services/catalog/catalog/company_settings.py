"""Each company's choices per service (the manual's sub-menu): granted automatically at account
creation, and whether a subscription needs an administrator's validation.

Without a choice of the company, the operator's defaults of the service hold. The services that
make administrators (administration, supervision) always need validation and are never automatic:
otherwise any user of the company could make themself its administrator.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portalkit.db import utcnow
from portalkit.entitlements import ADMINISTRATOR_MAKING
from portalkit.errors import PortalError, not_found
from portalkit.signed_identity import Identity

from .access import administered_company
from .models import CompanyServiceSetting, Service
from .offered import offer_for

LOCKED = ADMINISTRATOR_MAKING  # entitlement codes


def settings_of(session: Session, company_id: str | None, service_ids=None) -> dict[str, CompanyServiceSetting]:
    """The company's choices, by service id (of ``service_ids`` only, when given)."""
    query = select(CompanyServiceSetting).where(CompanyServiceSetting.company_id == company_id)
    if service_ids is not None:
        query = query.where(CompanyServiceSetting.service_id.in_(list(service_ids)))
    return {setting.service_id: setting for setting in session.scalars(query)}


def flags(service: Service, setting: CompanyServiceSetting | None) -> dict:
    """What holds for one company: its choice, else the service's defaults."""
    source = setting or service
    return {"auto_subscribe": source.auto_subscribe, "needs_validation": source.needs_validation,
            "customised": setting is not None}


def needs_validation(session: Session, service: Service, company_id: str) -> bool:
    return flags(service, session.get(CompanyServiceSetting, (company_id, service.id)))["needs_validation"]


def automatic():
    """The condition "granted at account creation" for the company joined as CompanyServiceSetting."""
    return func.coalesce(CompanyServiceSetting.auto_subscribe, Service.auto_subscribe).is_(True)


def save(session: Session, identity: Identity, service_id: str, data: dict) -> dict:
    """Record a company's choice for one service; answer what now holds."""
    company_id = administered_company(session, identity, data.get("company_id"))
    service = session.get(Service, service_id)
    if service is None or not offer_for(session, company_id).includes(service):
        raise not_found("service")
    if service.entitlement_code in LOCKED and (data["auto_subscribe"] or not data["needs_validation"]):
        raise PortalError(409, "setting_locked", "A service that makes administrators always needs "
                          "validation and is never granted automatically.")
    setting = session.get(CompanyServiceSetting, (company_id, service.id)) or CompanyServiceSetting(
        company_id=company_id, service_id=service.id)
    setting.auto_subscribe, setting.needs_validation = data["auto_subscribe"], data["needs_validation"]
    setting.updated_at, setting.updated_by = utcnow(), identity.user_id
    session.add(setting)
    session.commit()
    return {"service_id": service.id, "company_id": company_id, **flags(service, setting)}


def reset(session: Session, identity: Identity, service_id: str, company_id: str | None) -> None:
    """Drop a company's choice: the service's defaults hold again."""
    company_id = administered_company(session, identity, company_id)
    setting = session.get(CompanyServiceSetting, (company_id, service_id))
    if setting is None:
        raise not_found("setting")
    session.delete(setting)
    session.commit()

"""The events assets consumes (identity's), and what each one does: ``HANDLERS``."""
from __future__ import annotations

from sqlalchemy.orm import Session

from portalkit.events import Event

from .models import Company


def on_company_registered(session: Session, event: Event) -> None:
    """Record the company (or refresh it: a redelivery or a later registration wins)."""
    data = event.data
    company = session.get(Company, data["company_id"]) or Company(id=data["company_id"])
    company.number, company.name, company.parent_id = data["number"], data["name"], data.get("parent_id")
    session.add(company)


HANDLERS = {
    "identity.CompanyRegistered": on_company_registered,
}

"""The events declarations consumes (identity's companies), and what each one does: ``HANDLERS``.

A deposit's declarant (NAD+DT) must be the SIREN of one of the depositor's entities: the service
keeps each company's SIREN as identity tells it (registered, then updated by an operator).
"""
from sqlalchemy.orm import Session

from portalkit.events import Event

from .models import Entity


def on_company(session: Session, event: Event) -> Entity:
    """Record the company, or refresh its name and SIREN (an update, a redelivery)."""
    data = event.data
    entity = session.get(Entity, data["company_id"])
    if entity is None:
        entity = Entity(id=data["company_id"])
        session.add(entity)
    entity.name, entity.siren = data["name"], data.get("siren") or None
    session.flush()
    return entity


HANDLERS = {"identity.CompanyRegistered": on_company, "identity.CompanyUpdated": on_company}

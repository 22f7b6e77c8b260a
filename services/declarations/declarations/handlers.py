"""The events declarations consumes (identity's companies), and what each one does: ``HANDLERS``.

A deposit's declarant (NAD+DT) must be the SIREN of one of the depositor's entities: the service
keeps each company's SIREN as identity tells it (registered, then updated by an operator), and the
associates tree (tree.py).
"""
from sqlalchemy.orm import Session

from portalkit.events import Event

from . import supervision_rows, tree
from .models import Entity


def _entity(session: Session, company_id: str) -> Entity:
    entity = session.get(Entity, company_id)
    if entity is None:
        entity = Entity(id=company_id)
        session.add(entity)
        session.flush()
        tree.placed(session, company_id)
    return entity


def on_company(session: Session, event: Event) -> Entity:
    """Record the company, or refresh its name and SIREN (an update, a redelivery); a company
    registered under a parent starts in the tree there."""
    data = event.data
    entity = _entity(session, data["company_id"])
    entity.name, entity.siren = data["name"], data.get("siren") or None
    if event.type == "CompanyRegistered" and data.get("parent_id"):
        entity.parent_id = data["parent_id"]
        tree.move(session, entity.id, entity.parent_id)
    supervision_rows.refresh_entity(session, entity)
    return entity


def on_associate_linked(session: Session, event: Event) -> None:
    """The associate moves under the company (identity keeps one parent per company)."""
    _entity(session, event.data["associate_id"]).parent_id = event.data["company_id"]
    session.flush()
    tree.move(session, event.data["associate_id"], event.data["company_id"])


def on_associate_unlinked(session: Session, event: Event) -> None:
    """The associate stands alone, unless a later link already moved it elsewhere."""
    entity = session.get(Entity, event.data["associate_id"])
    if entity is not None and entity.parent_id == event.data["company_id"]:
        entity.parent_id = None
        session.flush()
        tree.move(session, entity.id, None)


HANDLERS = {"identity.CompanyRegistered": on_company, "identity.CompanyUpdated": on_company,
            "identity.AssociateLinked": on_associate_linked, "identity.AssociateUnlinked": on_associate_unlinked}

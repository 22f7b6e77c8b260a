"""Which entities a declarative session declares for, derived here rather than carried in the
signed identity (10,000 subsidiaries would not fit a header): a declarant's company, a
supervisor's subtree (``Entity.parent_id``); only entities with a SIREN declare."""
from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from portalkit.signed_identity import Identity

from . import tree
from .models import Entity

SUPERVISOR = "supervisor"


def is_supervisor(identity: Identity) -> bool:
    return identity.declarant_role == SUPERVISOR


def entity_ids(identity: Identity) -> Select:
    """A SELECT of the ids of the entities ``identity`` declares for (usable in ``IN`` and joins)."""
    if not identity.company_id:
        return select(Entity.id).where(False)
    if not is_supervisor(identity):
        return select(Entity.id).where(Entity.id == identity.company_id, Entity.siren.is_not(None))
    below = tree.subtree_ids(identity.company_id).subquery("scope_tree")
    return select(Entity.id).join(below, below.c.entity_id == Entity.id).where(Entity.siren.is_not(None))


def supervised_ids(identity: Identity) -> Select:
    """A supervisor's subtree's ids, SIREN or not (for tables holding only entities that declare)."""
    return tree.subtree_ids(identity.company_id)


def includes(session: Session, identity: Identity, entity_id: str) -> bool:
    """Whether ``entity_id`` is one of the caller's entities."""
    ids = entity_ids(identity).subquery()
    return session.scalar(select(ids.c.id).where(ids.c.id == entity_id).limit(1)) is not None


def sirens(session: Session, identity: Identity) -> dict[str, str]:
    """SIREN → entity id of the caller's entities (the deposit's checks: NAD+DT among them)."""
    rows = session.execute(select(Entity.siren, Entity.id).where(Entity.id.in_(entity_ids(identity))))
    return {siren: entity_id for siren, entity_id in rows}

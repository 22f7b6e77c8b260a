"""The associates tree as declarations keeps it (``Entity.parent_id``, from identity's events): a
supervisor's subsidiaries are the subtree under its company, a rejection's group heads the
entity's ancestors (their supervisors are mailed)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Entity


def subtree(session: Session, company_id: str) -> set[str]:
    """``company_id`` and every entity below it."""
    tree = select(Entity.id).where(Entity.id == company_id).cte("subtree", recursive=True)
    # UNION, not UNION ALL: it ends even on a cycle.
    tree = tree.union(select(Entity.id).where(Entity.parent_id == tree.c.id))
    return set(session.scalars(select(tree.c.id)))


def ancestors(session: Session, entity_id: str) -> list[str]:
    """The entities above ``entity_id``, nearest first."""
    found: list[str] = []
    current = session.get(Entity, entity_id)
    while current is not None and current.parent_id and current.parent_id not in found \
            and current.parent_id != entity_id:
        found.append(current.parent_id)
        current = session.get(Entity, current.parent_id)
    return found

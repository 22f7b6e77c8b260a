"""The associates tree as declarations keeps it (``Entity.parent_id``, from identity's events) and
its closure (``EntityLineage``, kept with it): a supervisor's subsidiaries are the subtree under
its company, a rejection's group heads the entity's ancestors (their supervisors are mailed)."""
from __future__ import annotations

from sqlalchemy import delete, insert, literal, select
from sqlalchemy.orm import Session, aliased

from . import supervision_tallies
from .models import Entity, EntityLineage

# The closure rebuilt from ``parent_id`` (migration 0005, the benchmarks' fills): UNION, not UNION
# ALL, so that it ends even on a cycle.
REBUILD = """
    INSERT INTO entity_lineage (ancestor_id, entity_id)
    WITH RECURSIVE up(entity_id, ancestor_id) AS (
        SELECT id, id FROM entities
        UNION
        SELECT up.entity_id, e.parent_id FROM up JOIN entities e ON e.id = up.ancestor_id
        WHERE e.parent_id IS NOT NULL)
    SELECT DISTINCT ancestor_id, entity_id FROM up"""


def placed(session: Session, entity_id: str) -> None:
    """An entity stands in the closure from its arrival (its own row), parent or not."""
    if session.get(EntityLineage, (entity_id, entity_id)) is None:
        session.add(EntityLineage(ancestor_id=entity_id, entity_id=entity_id))
        session.flush()


def move(session: Session, entity_id: str, parent_id: str | None) -> None:
    """Put ``entity_id`` and its subtree under ``parent_id`` (None: standing alone) in the closure:
    cut every link from above the subtree, then link each of the parent's lineage to each of the
    subtree (and move the subtree's tallies along). A parent inside the subtree (a cycle identity
    never makes) only cuts."""
    placed(session, entity_id)
    below = select(EntityLineage.entity_id).where(EntityLineage.ancestor_id == entity_id)
    cut = list(session.scalars(select(EntityLineage.ancestor_id).where(EntityLineage.entity_id == entity_id,
                                                                       EntityLineage.ancestor_id.not_in(below))))
    _relink(session, entity_id, parent_id, below)
    linked = list(session.scalars(select(EntityLineage.ancestor_id).where(EntityLineage.entity_id == entity_id,
                                                                          EntityLineage.ancestor_id.not_in(below))))
    supervision_tallies.regroup(session, entity_id, cut, linked)


def _relink(session: Session, entity_id: str, parent_id: str | None, below) -> None:
    session.execute(delete(EntityLineage).where(EntityLineage.entity_id.in_(below),
                                                EntityLineage.ancestor_id.not_in(below)),
                    execution_options={"synchronize_session": False})
    if parent_id is None or session.get(EntityLineage, (entity_id, parent_id)) is not None:
        session.expire_all()
        return
    placed(session, parent_id)
    above, under = aliased(EntityLineage), aliased(EntityLineage)
    links = (select(above.ancestor_id, under.entity_id).where(above.entity_id == parent_id)
             .join(under, literal(True)).where(under.ancestor_id == entity_id))
    session.execute(insert(EntityLineage).from_select(("ancestor_id", "entity_id"), links))
    session.expire_all()


def subtree_ids(company_id: str):
    """A SELECT of ``company_id``'s and every entity's below it ids."""
    return select(EntityLineage.entity_id).where(EntityLineage.ancestor_id == company_id)


def subtree(session: Session, company_id: str) -> set[str]:
    """``company_id`` and every entity below it."""
    return set(session.scalars(subtree_ids(company_id)))


def ancestors(session: Session, entity_id: str) -> list[str]:
    """The entities above ``entity_id``, nearest first."""
    found: list[str] = []
    current = session.get(Entity, entity_id)
    while current is not None and current.parent_id and current.parent_id not in found \
            and current.parent_id != entity_id:
        found.append(current.parent_id)
        current = session.get(Entity, current.parent_id)
    return found

"""The trail of administration actions: who did what to which user or group, when; readable by
the administrators of the company concerned."""
from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portalkit.signed_identity import Identity

from . import access
from .models import AdministrationAudit, User


def record(session: Session, identity: Identity, action: str, company_id: str, target_id: str = "",
           target_label: str = "", **details) -> None:
    """Add one entry to the trail, in the transaction of the action itself."""
    actor = session.get(User, identity.user_id) if identity.user_id else None
    session.add(AdministrationAudit(
        company_id=company_id, actor_id=identity.user_id or "", action=action,
        actor_name=(actor.display_name if actor else identity.user_id or "")[:254],
        target_id=target_id or "", target_label=(target_label or "")[:254],
        details=json.dumps(details, default=str)))


def entries(session: Session, identity: Identity, query: dict) -> tuple[list[dict], int]:
    """The trail of the companies the caller administers (or the one picked), newest first."""
    conditions = [AdministrationAudit.company_id.in_(access.scope(session, identity, query.get("company")))]
    if query.get("action"):
        conditions.append(AdministrationAudit.action == query["action"])
    if query.get("target_id"):
        conditions.append(AdministrationAudit.target_id == query["target_id"])
    return page_of(session, conditions, query)


def page_of(session: Session, conditions: list, query: dict) -> tuple[list[dict], int]:
    """One page of the trail entries meeting ``conditions``, newest first."""
    total = session.scalar(select(func.count()).select_from(AdministrationAudit).where(*conditions))
    rows = session.scalars(select(AdministrationAudit).where(*conditions)
                           .order_by(AdministrationAudit.occurred_at.desc(), AdministrationAudit.id)
                           .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"]))
    items = [{"id": row.id, "occurred_at": row.occurred_at, "company_id": row.company_id,
              "actor_id": row.actor_id, "actor_name": row.actor_name, "action": row.action,
              "target_id": row.target_id, "target_label": row.target_label,
              "details": json.loads(row.details or "{}")} for row in rows]
    return items, total

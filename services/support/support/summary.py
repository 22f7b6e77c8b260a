"""The counts of the home tiles ("requests in progress", "new support contents since the last
visit") and the lists' search word."""
from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from portalkit.signed_identity import Identity

from . import access, moves
from .models import RequestComment, RequestRead, SupportRequest


def search_condition(word: str):
    """A word of the subject (any case), or the request's number."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(SupportRequest.subject.ilike(f"%{escaped}%", escape="\\"), SupportRequest.number == word.upper())


def counts(session: Session, identity: Identity) -> dict:
    """Of the caller's own requests (opened or followed): those not resolved nor closed, and the
    operators' answers (never internal notes) written after the caller last read their request."""
    own = access.scope_condition(session, identity, "own")
    in_progress = session.scalar(select(func.count()).select_from(SupportRequest)
                                 .where(own, SupportRequest.status.in_(moves.OPEN_STATUSES)))
    read = (select(RequestRead.read_at).where(RequestRead.request_id == RequestComment.request_id,
                                              RequestRead.user_id == identity.user_id)
            .correlate(RequestComment).scalar_subquery())
    new_contents = session.scalar(
        select(func.count()).select_from(RequestComment)
        .join(SupportRequest, SupportRequest.id == RequestComment.request_id)
        .where(own, RequestComment.author_kind == moves.OPERATOR, RequestComment.internal.is_(False),
               or_(read.is_(None), and_(read.is_not(None), RequestComment.created_at > read))))
    return {"in_progress": in_progress or 0, "new_contents": new_contents or 0}

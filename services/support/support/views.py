"""Support requests as the routes show them: lists (with the names of the company, requester and
product from the read-models) and one request with its thread, history and clock. A client's view
never holds an operator's internal note nor its attachments."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import clock, moves
from .models import (Company, Member, Product, RequestAttachment, RequestComment, RequestFollower, RequestMove,
                     SupportRequest)
from .settings import SupportSettings

SUPPORT_NAME = "Support"


def _names(session: Session, model, ids) -> dict:
    ids = {value for value in ids if value}
    if not ids:
        return {}
    key = model.user_id if model is Member else model.id
    return {getattr(row, "user_id" if model is Member else "id"): row
            for row in session.scalars(select(model).where(key.in_(ids)))}


def _person(member: Member | None, user_id: str | None, kind: str = moves.CLIENT, for_operator: bool = False) -> dict:
    # Support keeps no directory of operators: an operator sees the colleague's id (the back office's
    # pages name them from identity's list of operators), a client sees "Support" only.
    if kind == moves.OPERATOR:
        return {"user_id": user_id if for_operator else None, "name": SUPPORT_NAME, "kind": kind}
    if kind == moves.SYSTEM:
        return {"user_id": None, "name": "", "kind": kind}
    return {"user_id": user_id, "name": member.display_name if member else "", "kind": kind}


def summaries(session: Session, requests: list[SupportRequest], language: str, now: datetime,
              settings: SupportSettings) -> list[dict]:
    companies = _names(session, Company, (r.company_id for r in requests))
    members = _names(session, Member, (r.requester_id for r in requests))
    products = _names(session, Product, (r.product_id for r in requests))
    return [_summary(r, companies, members, products, language, now, settings) for r in requests]


def _summary(request, companies, members, products, language, now, settings) -> dict:
    company = companies.get(request.company_id)
    product = products.get(request.product_id)
    return {"id": request.id, "number": request.number, "subject": request.subject, "status": request.status,
            "severity": request.severity,
            "product": {"id": product.id, "name": product.name(language)} if product else None,
            "company": {"id": request.company_id, "name": company.name if company else ""},
            "requester": _person(members.get(request.requester_id), request.requester_id),
            "assignee_id": request.assignee_id, "created_at": request.created_at, "updated_at": request.updated_at,
            "clock": clock.view(request, now, settings)}


def attachment(row: RequestAttachment, base: str) -> dict:
    return {"id": row.id, "file_name": row.file_name, "content_type": row.content_type, "size": row.size,
            "sha256": row.sha256, "url": f"{base}/{row.request_id}/attachments/{row.id}",
            "created_at": row.created_at}


def detail(session: Session, request: SupportRequest, language: str, now: datetime, settings: SupportSettings,
           for_operator: bool, allowed_moves: list[str]) -> dict:
    """The request with its followers, attachments, thread and history."""
    base = "/api/operator/support/requests" if for_operator else "/api/support/requests"
    comments = list(session.scalars(select(RequestComment).where(RequestComment.request_id == request.id)
                                    .order_by(RequestComment.created_at, RequestComment.id)))
    if not for_operator:
        comments = [comment for comment in comments if not comment.internal]
    shown = {comment.id for comment in comments}
    files = list(session.scalars(select(RequestAttachment).where(RequestAttachment.request_id == request.id)
                                 .order_by(RequestAttachment.created_at, RequestAttachment.id)))
    history = list(session.scalars(select(RequestMove).where(RequestMove.request_id == request.id)
                                   .order_by(RequestMove.id)))
    follower_ids = list(session.scalars(select(RequestFollower.user_id).where(RequestFollower.request_id == request.id)))
    members = _names(session, Member, [request.requester_id, *follower_ids,
                                        *(c.author_id for c in comments), *(m.actor_id for m in history)])
    view = summaries(session, [request], language, now, settings)[0]
    by_comment: dict = {}
    for row in files:
        by_comment.setdefault(row.comment_id, []).append(row)
    view.update({
        "description": request.description, "contact_phone": request.contact_phone,
        "followers": [_person(members.get(user_id), user_id) for user_id in sorted(follower_ids)],
        "attachments": [attachment(row, base) for row in by_comment.get(None, [])],
        "thread": [{"id": c.id, "author": _person(members.get(c.author_id), c.author_id, c.author_kind, for_operator),
                    "body": c.body, "internal": c.internal, "created_at": c.created_at,
                    "attachments": [attachment(row, base) for row in by_comment.get(c.id, [])]}
                   for c in comments if c.id in shown],
        "history": [move_view(m, members, for_operator) for m in history],
        "allowed_moves": allowed_moves,
    })
    return view


def move_view(row: RequestMove, members: dict, for_operator: bool = False) -> dict:
    return {"at": row.at, "actor": _person(members.get(row.actor_id), row.actor_id, row.actor_kind, for_operator),
            "from_status": row.from_status, "to_status": row.to_status}


def history(session: Session, request: SupportRequest) -> list[dict]:
    rows = list(session.scalars(select(RequestMove).where(RequestMove.request_id == request.id).order_by(RequestMove.id)))
    members = _names(session, Member, (m.actor_id for m in rows))
    return [move_view(m, members) for m in rows]


def page(session: Session, condition, query: dict, language: str, now: datetime,
         settings: SupportSettings, count_cap: int | None = None) -> dict:
    """One page of the requests meeting ``condition``, most recently active first, shown: two
    queries (the count, and the page joined with its names). ``count_cap``: count no further than
    that (the operators' queue over the whole table: ``total_capped`` says the total is a floor)."""
    if count_cap is None:
        total = session.scalar(select(func.count()).select_from(SupportRequest).where(condition))
    else:
        matching = select(SupportRequest.id).where(condition).limit(count_cap + 1).subquery()
        total = session.scalar(select(func.count()).select_from(matching))
    rows = session.execute(
        select(SupportRequest, Company, Member, Product).where(condition)
        .outerjoin(Company, Company.id == SupportRequest.company_id)
        .outerjoin(Member, Member.user_id == SupportRequest.requester_id)
        .outerjoin(Product, Product.id == SupportRequest.product_id)
        .order_by(SupportRequest.updated_at.desc(), SupportRequest.id.desc())
        .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"])).all()
    items = [_summary(request, {request.company_id: company} if company else {},
                      {request.requester_id: member} if member else {},
                      {request.product_id: product} if product else {}, language, now, settings)
             for request, company, member, product in rows]
    if count_cap is None:
        return {"items": items, "total": total}
    return {"items": items, "total": min(total, count_cap), "total_capped": total > count_cap}

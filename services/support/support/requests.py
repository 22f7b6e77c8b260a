"""The life of a support request: opening it (numbered ``SR-<year>-<sequence>``), the thread, the
status moves (``moves.MOVES``, each in the history), the clock (``clock``), and the events that tell
notifications — never about an internal note.

Every function takes its session and ``now`` and commits nothing itself: the route (or the job)
commits, so that a change, its history and its event are one transaction.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portalkit.errors import PortalError
from portalkit.signed_identity import Identity
from portalkit.uploads import ReceivedFile

from . import clock, moves, stats
from .events import outbox
from .models import (Holding, Member, Product, RequestAttachment, RequestComment, RequestCounter, RequestFollower,
                     RequestMove, SupportRequest)
from .settings import SupportSettings


def invalid(field: str, message: str) -> PortalError:
    return PortalError(400, "invalid_input", "Some fields are invalid.", {field: [message]})


# --- numbering ---------------------------------------------------------------------------------
def next_number(session: Session, year: int) -> str:
    """The year's next number, taken by one upsert: concurrent transactions queue on the counter's
    row (PostgreSQL's row lock, SQLite's write lock), so no two get the same sequence."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (dialect.insert(RequestCounter).values(year=year, last=1)
                 .on_conflict_do_update(index_elements=[RequestCounter.year],
                                        set_={"last": RequestCounter.last + 1})
                 .returning(RequestCounter.last))
    sequence = session.execute(statement).scalar_one()
    return f"SR-{year}-{sequence:06d}"


# --- opening -----------------------------------------------------------------------------------
def open_request(session: Session, identity: Identity, fields: dict, files: list[ReceivedFile],
                 now: datetime, settings: SupportSettings) -> SupportRequest:
    """Record a new request of the caller's company with its attachments and followers."""
    company_id = identity.company_id
    product_id = fields.get("product")
    if product_id is not None and not _holds(session, company_id, product_id):
        raise invalid("product", "Not a product your company holds.")
    followers = _followers(session, identity, fields.get("followers") or [])
    request = SupportRequest(number=next_number(session, now.year), company_id=company_id,
                             requester_id=identity.user_id, product_id=product_id, subject=fields["subject"],
                             description=fields["description"], severity=fields["severity"],
                             contact_phone=fields.get("contact_phone") or "", status=moves.NEW,
                             created_at=now, updated_at=now, status_changed_at=now)
    clock.start(request, now, settings)
    stats.count(session, now, stats.OPENED)
    session.add(request)
    session.flush()
    session.add_all(RequestFollower(request_id=request.id, user_id=user_id) for user_id in followers)
    session.add(RequestMove(request_id=request.id, at=now, actor_id=identity.user_id, actor_kind=moves.CLIENT,
                            from_status=None, to_status=moves.NEW))
    attach(session, request, None, files, identity.user_id, now)
    session.flush()
    publish(session, request, "SupportRequestOpened", kind="opened", actor_kind=moves.CLIENT)
    return request


def _holds(session: Session, company_id: str, product_id: str) -> bool:
    return session.scalar(select(Holding.id).join(Product, Product.id == Holding.product_id).where(
        Holding.company_id == company_id, Holding.product_id == product_id, Holding.removed.is_(False),
        Product.retired.is_(False)).limit(1)) is not None


def _followers(session: Session, identity: Identity, user_ids: list[str]) -> list[str]:
    wanted = [user_id for user_id in dict.fromkeys(user_ids) if user_id != identity.user_id]
    if not wanted:
        return []
    known = set(session.scalars(select(Member.user_id).where(
        Member.user_id.in_(wanted), Member.company_id == identity.company_id, Member.activated_at.is_not(None))))
    unknown = [user_id for user_id in wanted if user_id not in known]
    if unknown:
        raise invalid("followers", f"Not colleagues of your company: {', '.join(unknown)}.")
    return wanted


def add_followers(session: Session, identity: Identity, request: SupportRequest, user_ids: list[str],
                  now: datetime) -> None:
    """The requester's colleagues (activated members of the request's company) follow it from now on."""
    following = set(session.scalars(select(RequestFollower.user_id).where(RequestFollower.request_id == request.id)))
    wanted = [user_id for user_id in dict.fromkeys(user_ids)
              if user_id not in following and user_id != request.requester_id]
    known = set(session.scalars(select(Member.user_id).where(
        Member.user_id.in_(wanted), Member.company_id == request.company_id,
        Member.activated_at.is_not(None)))) if wanted else set()
    unknown = [user_id for user_id in wanted if user_id not in known]
    if unknown:
        raise invalid("user_ids", f"Not colleagues of the request's company: {', '.join(unknown)}.")
    session.add_all(RequestFollower(request_id=request.id, user_id=user_id) for user_id in wanted)
    request.updated_at = now


def colleagues(session: Session, request: SupportRequest, q: str | None, page: int, per_page: int):
    """The activated members of the request's company who may still follow it (not the requester,
    not a follower), by name; ``(members, total)``."""
    following = select(RequestFollower.user_id).where(RequestFollower.request_id == request.id)
    query = select(Member).where(Member.company_id == request.company_id, Member.activated_at.is_not(None),
                                 Member.user_id != request.requester_id, Member.user_id.not_in(following))
    if q:
        query = query.where(or_(*(func.lower(column).contains(q.lower(), autoescape=True)
                                  for column in (Member.first_name, Member.last_name, Member.email))))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    members = session.scalars(query.order_by(Member.last_name, Member.first_name, Member.user_id)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return members, total


def attach(session: Session, request: SupportRequest, comment: RequestComment | None,
           files: list[ReceivedFile], user_id: str, now: datetime) -> list[RequestAttachment]:
    rows = [RequestAttachment(request_id=request.id, comment_id=comment.id if comment else None,
                              file_key=received.stored.key, file_name=received.file_name,
                              content_type=received.content_type, size=received.stored.size,
                              sha256=received.stored.sha256, uploaded_by=user_id, created_at=now)
            for received in files]
    session.add_all(rows)
    return rows


# --- the thread --------------------------------------------------------------------------------
def comment(session: Session, identity: Identity, request: SupportRequest, body: str,
            files: list[ReceivedFile], now: datetime, settings: SupportSettings) -> RequestComment:
    """A comment of the client's side; one on a request waiting for the customer brings it back
    to "in progress" (the portal's move: the clock resumes)."""
    if request.status == moves.CLOSED:
        raise PortalError(409, "request_closed", "This request is closed: reopen it to write again.")
    note = RequestComment(request_id=request.id, author_id=identity.user_id, author_kind=moves.CLIENT,
                          body=body, internal=False, created_at=now)
    session.add(note)
    session.flush()
    attach(session, request, note, files, identity.user_id, now)
    request.last_client_comment_at = now
    request.updated_at = now
    if request.status == moves.WAITING:
        _move(session, request, moves.IN_PROGRESS, moves.SYSTEM, identity.user_id, now, settings)
    publish(session, request, "SupportRequestUpdated", kind="commented", actor_kind=moves.CLIENT)
    return note


def answer(session: Session, operator_id: str, request: SupportRequest, body: str, internal: bool,
           files: list[ReceivedFile], now: datetime, settings: SupportSettings) -> RequestComment:
    """An operator's answer to the client (the first one meets the first-response target; a new or
    reopened request goes "in progress"), or an internal note, which tells no one."""
    note = RequestComment(request_id=request.id, author_id=operator_id, author_kind=moves.OPERATOR,
                          body=body, internal=internal, created_at=now)
    session.add(note)
    session.flush()
    attach(session, request, note, files, operator_id, now)
    if internal:
        return note
    request.updated_at = now
    clock.responded(request, now)
    previous = request.status
    if request.status in (moves.NEW, moves.REOPENED):
        _move(session, request, moves.IN_PROGRESS, moves.OPERATOR, operator_id, now, settings)
    publish(session, request, "SupportRequestUpdated", kind="answered", actor_kind=moves.OPERATOR,
            answer=body, previous_status=previous)
    return note


# --- status moves ------------------------------------------------------------------------------
def move(session: Session, request: SupportRequest, target: str, actor_kind: str, actor_id: str | None,
         now: datetime, settings: SupportSettings) -> None:
    """A status move asked for by a client, an operator or the portal; checked against the table."""
    moves.check(request.status, target, actor_kind)
    if target == moves.REOPENED:
        limit = request.status_changed_at + timedelta(days=settings.reopen_days)
        if now > limit:
            raise PortalError(409, "reopen_window_passed",
                              f"A request can be reopened within {settings.reopen_days} days of its "
                              "resolution or closing: open a new one.")
    previous = request.status
    _move(session, request, target, actor_kind, actor_id, now, settings)
    if actor_kind == moves.OPERATOR and target in (moves.WAITING, moves.RESOLVED, moves.CLOSED):
        clock.responded(request, now)
    if target == moves.RESOLVED:
        publish(session, request, "SupportRequestResolved", kind="resolved", actor_kind=actor_kind,
                previous_status=previous)
    else:
        kind = "waiting_for_customer" if target == moves.WAITING else "status"
        publish(session, request, "SupportRequestUpdated", kind=kind, actor_kind=actor_kind,
                previous_status=previous)


def _move(session: Session, request: SupportRequest, target: str, actor_kind: str, actor_id: str | None,
          now: datetime, settings: SupportSettings) -> None:
    previous = request.status
    session.add(RequestMove(request_id=request.id, at=now, actor_id=actor_id, actor_kind=actor_kind,
                            from_status=previous, to_status=target))
    request.status = target
    request.status_changed_at = now
    if target == moves.RESOLVED:
        stats.count(session, now, stats.RESOLVED)
    request.updated_at = now
    clock.moved(request, previous, target, now, settings)


def assign(request: SupportRequest, assignee_id: str | None, now: datetime) -> None:
    request.assignee_id = assignee_id
    request.updated_at = now


# --- events ------------------------------------------------------------------------------------
def publish(session: Session, request: SupportRequest, event_type: str, kind: str, actor_kind: str,
            answer: str | None = None, previous_status: str | None = None) -> None:
    """Tell the request's fact, with the requester and followers as mails need them."""
    requester = session.get(Member, request.requester_id)
    follower_ids = list(session.scalars(select(RequestFollower.user_id)
                                        .where(RequestFollower.request_id == request.id)
                                        .order_by(RequestFollower.user_id)))
    followers = [member.recipient() for member in
                 session.scalars(select(Member).where(Member.user_id.in_(follower_ids)).order_by(Member.user_id))]
    product = session.get(Product, request.product_id) if request.product_id else None
    person = requester.recipient() if requester is not None else {
        "user_id": request.requester_id, "email": None, "first_name": "", "last_name": "", "language": "en"}
    outbox.add(session, event_type, {
        **person, "request_id": request.id, "company_id": request.company_id, "subject": request.subject,
        "status": request.status, "number": request.number, "severity": request.severity,
        "previous_status": previous_status, "kind": kind, "actor_kind": actor_kind, "answer": answer,
        "followers": followers, "product_name_en": product.name_en if product else "",
        "product_name_fr": product.name_fr if product else ""})


# --- the worker's job --------------------------------------------------------------------------
def auto_close(session: Session, now: datetime, settings: SupportSettings, batch: int = 200) -> int:
    """Close the requests resolved ``auto_close_days`` ago with no comment of the client's side
    since; answer how many were closed (the job runs again until none is left)."""
    cutoff = now - timedelta(days=settings.auto_close_days)
    due = list(session.scalars(
        select(SupportRequest).where(
            SupportRequest.status == moves.RESOLVED, SupportRequest.status_changed_at <= cutoff,
            (SupportRequest.last_client_comment_at.is_(None)) | (SupportRequest.last_client_comment_at <= cutoff))
        .order_by(SupportRequest.status_changed_at).limit(batch).with_for_update(skip_locked=True)))
    for request in due:
        move(session, request, moves.CLOSED, moves.SYSTEM, None, now, settings)
    return len(due)

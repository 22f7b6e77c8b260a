"""The operators' routes (``/operator/support/...``): the queue with its filters, one request with
its internal notes, answers and notes, status moves, assignment, attachments, and the deflections."""
from __future__ import annotations

from sqlalchemy import func, select, true

from portalkit import uploads
from portalkit.errors import not_found
from portalkit.web import Blueprint, caller, database, db_session, operator_only

from . import api, clock, moves, requests, stats, submissions, summary, views
from .models import Deflection, RequestAttachment, SupportRequest
from .schemas import (AnswerIn, AnswerUploadDoc, AssignIn, DeflectionPage, DeflectionQuery, QueueQuery, RequestDetail,
                      QueuePage, StatsPage, StatsQuery, StatusIn)
from .settings import SupportSettings

blp = Blueprint("operator-support", __name__, url_prefix="/operator/support",
                description="The vendor's support queue")
# The queue spans every company: counting a million matches exactly would cost more than the page.
QUEUE_COUNT_CAP = 10_000


def _find(request_id: str, for_update: bool = False) -> SupportRequest:
    statement = select(SupportRequest).where(SupportRequest.id == request_id)
    if for_update:
        statement = statement.with_for_update()
    found = db_session().scalar(statement)
    if found is None:
        raise not_found("support request")
    return found


def _shown(found: SupportRequest, moment, settings) -> dict:
    return views.detail(db_session(), found, caller().language, moment, settings, for_operator=True,
                        allowed_moves=moves.targets(found.status, moves.OPERATOR))


@blp.route("/requests", methods=["GET"])
@operator_only
@blp.arguments(QueueQuery, location="query")
@blp.response(200, QueuePage)
def queue(query):
    """The queue, most recently active first; filters: status, severity, product, company, assignee
    (an id, ``me``, ``none``), clock state (on_time, at_risk, breached, paused), a word."""
    moment = api.now()
    condition = true()
    for name, column in (("status", SupportRequest.status), ("severity", SupportRequest.severity),
                         ("product_id", SupportRequest.product_id), ("company_id", SupportRequest.company_id)):
        if query.get(name):
            condition = condition & (column == query[name])
    assignee = query.get("assignee")
    if assignee == "none":
        condition = condition & SupportRequest.assignee_id.is_(None)
    elif assignee:
        condition = condition & (SupportRequest.assignee_id == (caller().user_id if assignee == "me" else assignee))
    if query.get("clock"):
        condition = condition & clock.state_condition(query["clock"], moment)
    if query.get("q"):
        condition = condition & summary.search_condition(query["q"])
    session = db_session()
    return views.page(session, condition, query, caller().language, moment, SupportSettings.load(),
                      count_cap=QUEUE_COUNT_CAP)


@blp.route("/requests/<request_id>", methods=["GET"])
@blp.refuses(404)
@operator_only
@blp.response(200, RequestDetail)
def show(request_id):
    """A request with its whole thread, internal notes included."""
    return _shown(_find(request_id), api.now(), SupportSettings.load())


@blp.route("/requests/<request_id>/answers", methods=["POST"])
@blp.refuses(400, 404, 413, 415)
@operator_only
@uploads.streamed_body
@blp.doc(**api._body_doc(AnswerIn, AnswerUploadDoc))
@blp.response(201, RequestDetail)
def answer(request_id):
    """Answer the client (mailed to the requester and followers), or write an internal note
    (``internal: true``: never shown to a client, in no event, in no mail)."""
    settings = SupportSettings.load()
    moment = api.now()
    with database().read_sessions() as reading:  # 404 before the body is read, no lock held meanwhile
        if reading.get(SupportRequest, request_id) is None:
            raise not_found("support request")

    def use_case(fields, files):
        found = _find(request_id, for_update=True)
        requests.answer(db_session(), caller().user_id, found, fields["body"], fields["internal"], files,
                        moment, settings)
        db_session().commit()
        return found

    found = submissions.run(AnswerIn, use_case, "the answer")
    return _shown(found, moment, settings)


@blp.route("/requests/<request_id>/status", methods=["POST"])
@blp.refuses(400, 404, 409)
@operator_only
@blp.arguments(StatusIn)
@blp.response(200, RequestDetail)
def move(fields, request_id):
    """Move the request to another status (``moves.MOVES`` says which moves an operator may make)."""
    settings = SupportSettings.load()
    moment = api.now()
    found = _find(request_id, for_update=True)
    requests.move(db_session(), found, fields["status"], moves.OPERATOR, caller().user_id, moment, settings)
    db_session().commit()
    return _shown(found, moment, settings)


@blp.route("/requests/<request_id>/assign", methods=["POST"])
@blp.refuses(400, 404)
@operator_only
@blp.arguments(AssignIn)
@blp.response(200, RequestDetail)
def assign(fields, request_id):
    """Assign the request to an operator (``assignee_id``; null: unassigned)."""
    moment = api.now()
    found = _find(request_id, for_update=True)
    requests.assign(found, fields["assignee_id"], moment)
    db_session().commit()
    return _shown(found, moment, SupportSettings.load())


@blp.route("/requests/<request_id>/attachments/<attachment_id>", methods=["GET"])
@blp.refuses(404, 416)
@operator_only
@blp.response(200, description="The file (streamed; `Range` answers 206).")
@blp.alt_response(206, description="The range asked for")
def download(request_id, attachment_id):
    """Any attachment of the request, internal notes' included."""
    row = db_session().get(RequestAttachment, attachment_id)
    if row is None or row.request_id != request_id:
        raise not_found("attachment")
    return api.send(row)


@blp.route("/deflections", methods=["GET"])
@operator_only
@blp.arguments(DeflectionQuery, location="query")
@blp.response(200, DeflectionPage)
def deflections(query):
    """The requests not opened because a suggested article answered them, newest first, with the
    count per article."""
    session = db_session()
    condition = (Deflection.company_id == query["company_id"]) if query.get("company_id") else true()
    total = session.scalar(select(func.count()).select_from(Deflection).where(condition))
    rows = session.scalars(select(Deflection).where(condition).order_by(Deflection.created_at.desc(), Deflection.id)
                           .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"]))
    by_article = {article or "none": count for article, count in session.execute(
        select(Deflection.article_id, func.count()).where(condition).group_by(Deflection.article_id))}
    return {"items": [{"id": row.id, "company_id": row.company_id, "article_id": row.article_id,
                       "subject": row.subject, "created_at": row.created_at} for row in rows],
            "total": total, "by_article": by_article}


@blp.route("/stats", methods=["GET"])
@operator_only
@blp.arguments(StatsQuery, location="query")
@blp.response(200, StatsPage)
def weekly_counts(query):
    """Requests opened and resolved per week over the last ``weeks`` weeks (12 unless told)."""
    return {"weeks": stats.weekly(db_session(), query["weeks"], api.now())}

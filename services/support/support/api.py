"""The client companies' routes (``/support/...``): open a request, list the requests of a scope,
read one with its thread, comment, resolve, close, reopen, download an attachment; the company's
products to choose from, the home tile's counts and the deflections ("this answered my question")."""
from __future__ import annotations

from sqlalchemy import select

from portalkit import file_answers, uploads
from portalkit.db import utcnow
from portalkit.entitlements import REQUEST_SERVICE
from portalkit.errors import forbidden, not_found
from portalkit.filestore import default_store
from portalkit.web import Blueprint, caller, database, db_session, signed_in

from . import access, moves, requests, submissions, summary, views
from .handlers import PRODUCTS
from .models import Deflection, RequestAttachment, RequestRead
from .schemas import (ColleaguePage, ColleagueQuery, CommentIn, CommentUploadDoc, DeflectionIn, DeflectionSchema, FollowersIn, HistoryPage,
                      ProductPage, RequestCreated, RequestDetail, RequestIn, RequestPage, RequestQuery,
                      RequestUploadDoc, SupportSummarySchema)
from .settings import SupportSettings

blp = Blueprint("support-requests", __name__, url_prefix="/support", description="Support requests")
BASE = "/api/support/requests"


def now():
    """The time of the request (a seam: tests move it)."""
    return utcnow()


def _body_doc(json_schema, form_schema) -> dict:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": json_schema},
                                                          "multipart/form-data": {"schema": form_schema}}}}


def _needs_request_service():
    identity = caller()
    access.client_of_a_company(identity)
    if not identity.holds(REQUEST_SERVICE):
        raise forbidden("Your subscriptions do not include \"Request service\".")
    return identity


@blp.route("/requests", methods=["POST"])
@blp.refuses(400, 409, 413, 415)
@signed_in
@uploads.streamed_body
@blp.doc(**_body_doc(RequestIn, RequestUploadDoc))
@blp.response(201, RequestCreated)
def open_request(*_args):
    """Open a request (JSON, or multipart with ``attachments``); needs "Request service". A refused
    attachment refuses the whole request, naming the file (400 ``file_refused``; 413 past the size
    limit), and nothing is stored. Operator fields (``assignee_id``, ``internal``, the clock) are refused."""
    identity = _needs_request_service()
    settings = SupportSettings.load()
    moment = now()

    def use_case(fields, files):
        created = requests.open_request(db_session(), identity, fields, files, moment, settings)
        db_session().commit()
        return created

    created = submissions.run(RequestIn, use_case, "the request")
    files = db_session().scalars(select(RequestAttachment).where(RequestAttachment.request_id == created.id))
    return {"id": created.id, "number": created.number, "status": created.status,
            "clock": views.clock.view(created, moment, settings),
            "attachments": [views.attachment(row, BASE) for row in files]}


@blp.route("/requests", methods=["GET"])
@signed_in
@blp.arguments(RequestQuery, location="query")
@blp.response(200, RequestPage)
def list_requests(query):
    """The requests of a scope (``own``: opened or followed; ``company``; ``supervised``), most
    recently active first; ``status``, ``q`` (a word of the subject, or the number), ``product`` and
    ``company`` narrow it."""
    identity = caller()
    session = db_session()
    condition = access.scope_condition(session, identity, query["scope"])
    if query.get("status"):
        condition = condition & (requests.SupportRequest.status == query["status"])
    if query.get("q"):
        condition = condition & summary.search_condition(query["q"])
    if query.get("product"):
        condition = condition & (requests.SupportRequest.product_id == query["product"])
    if query.get("company"):  # within the scope's companies only: the scope's condition still holds
        condition = condition & (requests.SupportRequest.company_id == query["company"])
    return views.page(session, condition, query, identity.language, now(), SupportSettings.load())


@blp.route("/requests/<request_id>", methods=["GET"])
@blp.refuses(404)
@signed_in
@blp.response(200, RequestDetail)
def show_request(request_id):
    """The request with its thread (operators' internal notes never shown), attachments, history and
    clock ("answer expected by"); reading it marks its answers as seen by the caller."""
    identity = caller()
    session = db_session()
    found = access.find_visible(session, identity, request_id)
    settings = SupportSettings.load()
    moment = now()
    shown = views.detail(session, found, identity.language, moment, settings, for_operator=False,
                         allowed_moves=_client_moves(session, identity, found))
    with database().transaction() as writing:
        read = writing.get(RequestRead, (found.id, identity.user_id))
        if read is None:
            writing.add(RequestRead(request_id=found.id, user_id=identity.user_id, read_at=moment))
        else:
            read.read_at = moment
    return shown


def _client_moves(session, identity, found) -> list[str]:
    if not access.may_decide(session, identity, found):
        return []
    return moves.targets(found.status, moves.CLIENT)


@blp.route("/requests/<request_id>/history", methods=["GET"])
@blp.refuses(404)
@signed_in
@blp.response(200, HistoryPage)
def show_history(request_id):
    """Every status move of the request: who, when, from, to."""
    session = db_session()
    found = access.find_visible(session, caller(), request_id)
    items = views.history(session, found)
    return {"items": items, "total": len(items)}


@blp.route("/requests/<request_id>/comments", methods=["POST"])
@blp.refuses(400, 404, 409, 413, 415)
@signed_in
@uploads.streamed_body
@blp.doc(**_body_doc(CommentIn, CommentUploadDoc))
@blp.response(201, RequestDetail)
def add_comment(request_id):
    """Write in the thread (JSON ``{body}`` or multipart with ``attachments``); the operators see it.
    A request waiting for the customer goes back "in progress". Answers the request."""
    identity = caller()
    settings = SupportSettings.load()
    moment = now()
    # Checked before a byte of the body is read (404 stores nothing), without holding SQLite's write
    # lock while the files stream in; the row is locked again once they are stored.
    with database().read_sessions() as reading:
        access.find_visible(reading, identity, request_id)

    def use_case(fields, files):
        found = access.find_visible(db_session(), identity, request_id, for_update=True)
        requests.comment(db_session(), identity, found, fields["body"], files, moment, settings)
        db_session().commit()
        return found

    found = submissions.run(CommentIn, use_case, "the comment")
    return _shown(found, identity, moment, settings)


def _shown(found, identity, moment, settings) -> dict:
    session = db_session()
    return views.detail(session, found, identity.language, moment, settings, for_operator=False,
                        allowed_moves=_client_moves(session, identity, found))


def _decision(request_id: str, target: str) -> dict:
    identity = caller()
    session = db_session()
    found = access.find_visible(session, identity, request_id, for_update=True)
    if not access.may_decide(session, identity, found):
        raise forbidden("Only the requester and the company's request administrators decide on a request.")
    settings = SupportSettings.load()
    moment = now()
    requests.move(session, found, target, moves.CLIENT, identity.user_id, moment, settings)
    session.commit()
    return _shown(found, identity, moment, settings)


@blp.route("/requests/<request_id>/resolve", methods=["POST"])
@blp.refuses(404, 409)
@signed_in
@blp.response(200, RequestDetail)
def resolve(request_id):
    """The requester says it is solved: resolved (it closes by itself after
    ``PORTAL_SUPPORT_AUTO_CLOSE_DAYS`` without an answer)."""
    return _decision(request_id, moves.RESOLVED)


@blp.route("/requests/<request_id>/close", methods=["POST"])
@blp.refuses(404, 409)
@signed_in
@blp.response(200, RequestDetail)
def close(request_id):
    """The requester closes the request."""
    return _decision(request_id, moves.CLOSED)


@blp.route("/requests/<request_id>/reopen", methods=["POST"])
@blp.refuses(404, 409)
@signed_in
@blp.response(200, RequestDetail)
def reopen(request_id):
    """Reopen a resolved or closed request, within ``PORTAL_SUPPORT_REOPEN_DAYS`` (409 after)."""
    return _decision(request_id, moves.REOPENED)


@blp.route("/requests/<request_id>/followers", methods=["POST"])
@blp.refuses(400, 404)
@signed_in
@blp.arguments(FollowersIn)
@blp.response(200, RequestDetail)
def add_followers(fields, request_id):
    """Add colleagues of the company as followers (the requester's, or the company's request
    administrators' decision): they are mailed with the requester from then on."""
    identity = caller()
    session = db_session()
    found = access.find_visible(session, identity, request_id, for_update=True)
    if not access.may_decide(session, identity, found):
        raise forbidden("Only the requester and the company's request administrators add followers.")
    moment = now()
    requests.add_followers(session, identity, found, fields["user_ids"], moment)
    session.commit()
    return _shown(found, identity, moment, SupportSettings.load())


@blp.route("/requests/<request_id>/colleagues", methods=["GET"])
@blp.refuses(403, 404)
@signed_in
@blp.arguments(ColleagueQuery, location="query")
@blp.response(200, ColleaguePage)
def list_colleagues(query, request_id):
    """The colleagues who may be added as followers (activated users of the request's company, not
    yet following), for those who add them: the requester and the company's request administrators."""
    identity = caller()
    session = db_session()
    found = access.find_visible(session, identity, request_id)
    if not access.may_decide(session, identity, found):
        raise forbidden("Only the requester and the company's request administrators add followers.")
    members, total = requests.colleagues(session, found, query["q"], query["page"], query["per_page"])
    return {"items": [{"user_id": member.user_id, "name": member.display_name} for member in members],
            "total": total}


@blp.route("/requests/<request_id>/attachments/<attachment_id>", methods=["GET"])
@blp.refuses(404, 416)
@signed_in
@blp.response(200, description="The file (streamed; `Range` answers 206).")
@blp.alt_response(206, description="The range asked for")
def download(request_id, attachment_id):
    """An attachment of the request or of a comment the caller may read (never an internal note's)."""
    session = db_session()
    found = access.find_visible(session, caller(), request_id)
    row = session.get(RequestAttachment, attachment_id)
    if row is None or row.request_id != found.id:
        raise not_found("attachment")
    if row.comment_id is not None:
        note = session.get(requests.RequestComment, row.comment_id)
        if note is None or note.internal:
            raise not_found("attachment")
    return send(row)


def send(row: RequestAttachment):
    answer = file_answers.decide(row.size, row.sha256)
    return file_answers.send(default_store(), row.file_key, row.size, row.sha256, row.file_name, answer)


@blp.route("/products", methods=["GET"])
@signed_in
@blp.response(200, ProductPage)
def products():
    """The products the caller's company holds: those a request may name."""
    identity = _needs_request_service()
    items = [{"id": product.id, "code": product.code, "name": product.name(identity.language)}
             for product in PRODUCTS.company_products(db_session(), identity.company_id)]
    return {"items": items, "total": len(items)}


@blp.route("/summary", methods=["GET"])
@signed_in
@blp.response(200, SupportSummarySchema)
def home_summary():
    """The home tiles' counts: the caller's requests in progress, and the answers on them since the
    caller last read each."""
    identity = caller()
    access.client_of_a_company(identity)
    if not identity.holds(REQUEST_SERVICE):
        return {"in_progress": 0, "new_contents": 0}
    return summary.counts(db_session(), identity)


@blp.route("/deflections", methods=["POST"])
@blp.refuses(400)
@signed_in
@blp.arguments(DeflectionIn)
@blp.response(201, DeflectionSchema)
def deflect(fields):
    """"This answered my question": a request not opened, thanks to a suggested article (counted for
    the operators)."""
    identity = _needs_request_service()
    row = Deflection(company_id=identity.company_id, user_id=identity.user_id, article_id=fields.get("article_id"),
                     subject=fields["subject"], created_at=now())
    session = db_session()
    session.add(row)
    session.commit()
    return {"id": row.id, "company_id": row.company_id, "article_id": row.article_id, "subject": row.subject,
            "created_at": row.created_at}


"""The declarants' routes (``/declarations/...``, declarative sessions only): deposit a filing
(multipart ``file``, or the raw body as ``application/edifact``), list the deposits of one's
entities, read one with its timeline (the portal's checks, the partner's and the administration's
reports, each code explained), download its exact bytes, its signed receipt and its evidence
bundle (a streamed ZIP); and the receipts' public keys (public)."""
from __future__ import annotations

from flask import Response, request
from sqlalchemy import func, select

from portalkit import file_answers, uploads
from portalkit.db import utcnow
from portalkit.errors import PortalError, not_found
from portalkit.filestore import default_store
from portalkit.zip_stream import ZipWriter
from portalkit.web import Blueprint, caller, db_session, declarative_signed_in

from . import deposits, evidence, receipts, scope
from .models import Deposit, DepositStep
from .refusals import Refusal
from .reject_codes import explain_all
from .schemas import DepositDetail, DepositPage, DepositQuery, DepositUploadDoc, PublicKeys, Receipt
from .settings import DeclarationsSettings

blp = Blueprint("declarations", __name__, url_prefix="/declarations", description="Declarative filings")
EDIFACT = "application/edifact"


def now():
    """The time of the request (a seam: tests move it)."""
    return utcnow()


def _received(store, settings: DeclarationsSettings):
    """The stored file and its name, from a multipart form's ``file`` or the raw EDIFACT body."""
    if request.mimetype == EDIFACT:
        return uploads.receive_body(store, settings.max_bytes, "deposits"), ""
    upload = uploads.receive(store, settings.max_bytes, "deposits")
    if upload.stored is None:
        raise PortalError(400, "invalid_input", "Send the filing in the form's field \"file\".",
                          {"file": ["Missing data for required field."]})
    return upload.stored, upload.file_name


@blp.route("/deposits", methods=["POST"])
@blp.refuses(400, 409, 413, 415)
@declarative_signed_in
@uploads.streamed_body
@blp.doc(requestBody={"required": True, "content": {
    "multipart/form-data": {"schema": DepositUploadDoc},
    EDIFACT: {"schema": {"type": "string", "format": "binary"}}}})
@blp.response(201, DepositDetail)
def deposit():
    """Deposit a filing: kept exactly as received, then checked (syntax, envelope, INFENT/IDF, the
    declarant's SIREN among one's entities, F-IDENTIF, the campaign). A refusal is 400 with a stable
    code and ``fields.location`` (segment, index, element) of the first fault, ``fields.faults``
    (code, message, location) listing every fault found — or 409 ``duplicate_filing``, 413 past
    ``PORTAL_DECLARATIONS_MAX_BYTES`` — and nothing is stored. Accepted: the deposit and its receipt."""
    identity = caller()
    settings = DeclarationsSettings.load()
    store = default_store()
    stored, file_name = _received(store, settings)
    try:
        row = deposits.deposit(db_session(), store, stored, file_name, identity, settings.campaigns,
                               receipts.KEYS.ring(), now())
    except Refusal as refusal:
        raise refusal.error(identity.language) from None
    return _detail(row)


def _visible(identity):
    return Deposit.entity_id.in_(scope.entity_ids(identity))


def _own(deposit_id: str) -> Deposit:
    """A deposit of one of the caller's entities; another's is not found (404)."""
    row = db_session().get(Deposit, deposit_id)
    if row is None or not scope.includes(db_session(), caller(), row.entity_id):
        raise not_found("deposit")
    return row




def _summary(row: Deposit) -> dict:
    return {"id": row.id, "entity_id": row.entity_id, "siren": row.siren, "declarant_id": row.declarant_id,
            "file_name": row.file_name, "size": row.size, "sha256": row.sha256, "kind": row.kind,
            "campaign": row.campaign, "period_start": row.period_start, "period_end": row.period_end,
            "regimes": [code for code in row.regimes.split(",") if code], "currency": row.currency,
            "tax_reference": row.tax_reference, "corrective": row.corrective, "status": row.status,
            "obligation": row.obligation, "simulation": row.simulation, "partner_reference": row.partner_reference,
            "deposited_at": row.deposited_at, "transmitted_at": row.transmitted_at,
            "acknowledged_at": row.acknowledged_at, "codes": explain_all(row.codes, caller().language)}


def _detail(row: Deposit) -> dict:
    steps = db_session().scalars(select(DepositStep).where(DepositStep.deposit_id == row.id).order_by(DepositStep.id))
    return {**_summary(row), "receipt": row.receipt,
            "timeline": [{"step": s.step, "at": s.at, "error": s.error, "final": s.final, "source": s.source,
                          "code": s.code, "explanation": explain_all(s.code, caller().language), "detail": s.detail,
                          "simulation": s.simulation} for s in steps]}


@blp.route("/deposits", methods=["GET"])
@declarative_signed_in
@blp.arguments(DepositQuery, location="query")
@blp.response(200, DepositPage)
def list_deposits(query):
    """The deposits of one's entities (a supervisor's: its subsidiaries'), newest first; ``entity``,
    ``status``, ``obligation`` and ``closing`` (the period's end) narrow it."""
    condition = [_visible(caller())]
    if query["entity"]:
        condition.append(Deposit.entity_id == query["entity"])
    if query["status"]:
        condition.append(Deposit.status == query["status"])
    if query["obligation"]:
        condition.append(Deposit.obligation == query["obligation"])
    if query["closing"]:
        condition.append(Deposit.period_end == query["closing"])
    session = db_session()
    total = session.scalar(select(func.count()).select_from(Deposit).where(*condition))
    rows = session.scalars(select(Deposit).where(*condition).order_by(Deposit.deposited_at.desc(), Deposit.id)
                           .offset((query["page"] - 1) * query["per_page"]).limit(query["per_page"]))
    return {"items": [_summary(row) for row in rows], "total": total}


@blp.route("/deposits/<deposit_id>", methods=["GET"])
@blp.refuses(404)
@declarative_signed_in
@blp.response(200, DepositDetail)
def read_deposit(deposit_id: str):
    """One deposit with its timeline: each of the portal's checks, its time, whether an error,
    whether final."""
    return _detail(_own(deposit_id))


@blp.route("/deposits/<deposit_id>/file", methods=["GET"])
@blp.refuses(404, 416)
@declarative_signed_in
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/octet-stream")
def download_file(deposit_id: str):
    """The deposited bytes, exactly as received (ETag and Repr-Digest: their SHA-256)."""
    row = _own(deposit_id)
    answer = file_answers.decide(row.size, row.sha256)
    return file_answers.send(default_store(), row.file_key, row.size, row.sha256, row.file_name or f"{row.id}.edi",
                             answer, content_type=EDIFACT)


@blp.route("/deposits/<deposit_id>/receipt", methods=["GET"])
@blp.refuses(404)
@declarative_signed_in
@blp.response(200, Receipt)
def read_receipt(deposit_id: str):
    """The deposit's signed receipt and its claims (verify it with ``/receipts/keys``)."""
    row = _own(deposit_id)
    return {"receipt": row.receipt, "claims": receipts.read(receipts.KEYS.ring(), row.receipt)}


@blp.route("/deposits/<deposit_id>/evidence", methods=["GET"])
@blp.refuses(404)
@declarative_signed_in
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/zip")
def download_evidence(deposit_id: str):
    """The deposit's evidence bundle, one ZIP streamed: the file as received, the signed receipt
    with its public key, the timeline and reports (JSON), a README.txt (simulated steps marked)."""
    row = _own(deposit_id)
    writer = ZipWriter()
    evidence.add_bundle(writer, db_session(), default_store(), row)
    answer = Response(writer.close(), mimetype="application/zip", direct_passthrough=True)
    answer.headers["Content-Disposition"] = f'attachment; filename="{evidence.bundle_name(row)}"'
    answer.headers["Cache-Control"] = "private, no-store"
    return answer


@blp.route("/receipts/keys", methods=["GET"])
@blp.response(200, PublicKeys)
def receipt_keys():
    """The public keys receipts are signed with (public: anyone checks a receipt offline)."""
    return {"keys": [key.published() for key in receipts.KEYS.ring().keys]}

"""Routes of the administrative documents: the companies' list and files (``/assets/documents``),
the operators' uploads, one by one or in bulk, and their list (``/operator/documents``)."""
from __future__ import annotations

from marshmallow import ValidationError

from portalkit import file_answers, uploads
from portalkit.errors import PortalError
from portalkit.filestore import default_store
from portalkit.web import Blueprint, caller, db_session, operator_only, signed_in

from . import document_imports, documents
from .document_files import CopyingStore, is_pdf, spool
from .document_schemas import (DocumentFieldsIn, DocumentImportDoc, DocumentImportPage, DocumentImportSchema,
                               DocumentPage, DocumentQuery, DocumentSchema, DocumentUploadDoc, OperatorDocumentQuery,
                               PageQuery)
from .document_settings import DocumentSettings

blp = Blueprint("documents", __name__, url_prefix="/assets", description="Invoices, credits, reports and sheets")
operators = Blueprint("operator-documents", __name__, url_prefix="/operator",
                      description="Operators' publishing of administrative documents")


def shown(document, company) -> dict:
    return {"id": document.id, "kind": document.kind, "number": document.number, "issued_on": document.issued_on,
            "amount": document.amount, "currency": document.currency, "intervention": document.intervention,
            "file_name": document.file_name, "size": document.size, "sha256": document.sha256,
            "file_url": f"/api/assets/documents/{document.id}/file", "published_at": document.published_at,
            "company": {"id": document.company_id, "number": company.number if company else "",
                        "name": company.name if company else ""}}


def _page(answer: dict) -> dict:
    return {"items": [shown(document, company) for document, company in answer["items"]],
            "total": answer["total"], "totals": answer["totals"]}


@blp.route("/documents", methods=["GET"])
@blp.refuses(403, 404)
@signed_in
@blp.arguments(DocumentQuery, location="query")
@blp.response(200, DocumentPage)
def list_documents(query):
    """The documents the caller may see, newest first, each with its company; ``totals``: per currency,
    the invoices less the credits of the whole filtered set. 403 without the kinds' viewing service."""
    return _page(documents.list_seen(db_session(), caller(), query))


@blp.route("/documents/<document_id>", methods=["GET"])
@blp.refuses(403, 404)
@signed_in
@blp.response(200, DocumentSchema)
def show_document(document_id):
    """One document (404 for another company's)."""
    return shown(*documents.find_seen(db_session(), caller(), document_id))


@blp.route("/documents/<document_id>/file", methods=["GET"])
@blp.refuses(403, 404, 416)
@signed_in
@blp.response(200, description="The PDF (streamed) as an attachment with its name; with `Range`, 206; "
                                "`ETag`, `Accept-Ranges`, `Repr-Digest: sha-256=:…:`.")
@blp.alt_response(206, description="The range asked for")
def download(document_id):
    """Download a document's PDF."""
    document, _company = documents.find_seen(db_session(), caller(), document_id)
    answer = file_answers.decide(document.size, document.sha256)
    return file_answers.send(default_store(), document.file_key, document.size, document.sha256,
                             document.file_name, answer, content_type="application/pdf")


def _fields(raw: dict) -> dict:
    try:
        return DocumentFieldsIn().load(raw)
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        raise PortalError(400, "invalid_input", "Some fields are invalid.", messages) from None


def not_a_pdf() -> PortalError:
    return PortalError(400, "not_a_pdf", "The file is not a PDF document.", {"file": ["Not a PDF document."]})


@operators.route("/documents", methods=["POST"])
@operators.refuses(400, 409, 413, 415)
@operator_only
@uploads.streamed_body
@operators.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": DocumentUploadDoc}}})
@operators.response(201, DocumentSchema)
def publish(*_args):
    """Publish a document (multipart: ``company_id, kind, number, issued_on, amount, currency,
    intervention, file``): a PDF (checked by its content: 400 ``not_a_pdf``) of at most
    ``PORTAL_ASSETS_DOCUMENT_MAX_BYTES`` (413); nothing is stored of a refused one."""
    store = default_store()
    with spool() as copy:
        upload = uploads.receive(CopyingStore(store, copy), DocumentSettings.load().max_bytes, prefix="documents")
        try:
            fields = _fields(upload.fields)
            if upload.stored is None:
                raise PortalError(400, "invalid_input", "Some fields are invalid.", {"file": ["Send the file."]})
            if not is_pdf(copy):
                raise not_a_pdf()
            document = documents.publish(db_session(), fields, upload.stored, upload.file_name or "document.pdf",
                                         caller().user_id)
        except BaseException:
            db_session().rollback()
            if upload.stored is not None:
                store.delete(upload.stored.key)
            raise
    return shown(document, db_session().get(documents.Company, document.company_id))


@operators.route("/documents", methods=["GET"])
@operator_only
@operators.arguments(OperatorDocumentQuery, location="query")
@operators.response(200, DocumentPage)
def list_all(query):
    """Every company's documents, newest first, searched like the companies' list (``company_id``)."""
    return _page(documents.list_all(db_session(), query))


@operators.route("/documents/<document_id>", methods=["GET"])
@operators.refuses(404)
@operator_only
@operators.response(200, DocumentSchema)
def show(document_id):
    """One document, any company's."""
    document = db_session().get(documents.Document, document_id)
    if document is None:
        raise PortalError(404, "not_found", "No such document.")
    return shown(document, db_session().get(documents.Company, document.company_id))


@operators.route("/documents/<document_id>/file", methods=["GET"])
@operators.refuses(404, 416)
@operator_only
@operators.response(200, description="The PDF (streamed), as the companies' route answers it")
def operator_download(document_id):
    """Download any company's document."""
    document = db_session().get(documents.Document, document_id)
    if document is None:
        raise PortalError(404, "not_found", "No such document.")
    answer = file_answers.decide(document.size, document.sha256)
    return file_answers.send(default_store(), document.file_key, document.size, document.sha256,
                             document.file_name, answer, content_type="application/pdf")


@operators.route("/documents/imports", methods=["POST"])
@operators.refuses(400, 413, 415)
@operator_only
@uploads.streamed_body
@operators.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": DocumentImportDoc}}})
@operators.response(202, DocumentImportSchema, description="queued for assets' worker: follow it by its id")
def start_import(*_args):
    """Upload documents in bulk: a ZIP of PDFs with a CSV index (``company number; kind; number; date;
    amount; currency; file name``). The ZIP and its index are checked at once (400 ``not_a_zip``,
    ``no_index``…); each line is then stored or refused with its line number and reason."""
    settings = DocumentSettings.load()
    store = default_store()
    with document_imports.local_copy() as copy:
        upload = uploads.receive(CopyingStore(store, copy), settings.import_max_bytes, prefix="document-imports")
        try:
            if upload.stored is None:
                raise PortalError(400, "invalid_input", "Some fields are invalid.", {"file": ["Send the ZIP file."]})
            job = document_imports.queue(db_session(), settings, copy, upload.stored,
                                         upload.file_name or "documents.zip", caller().user_id)
        except BaseException:
            db_session().rollback()
            if upload.stored is not None:
                store.delete(upload.stored.key)
            raise
    return document_imports.report(job)


@operators.route("/documents/imports", methods=["GET"])
@operator_only
@operators.arguments(PageQuery, location="query")
@operators.response(200, DocumentImportPage)
def list_imports(query):
    """The bulk uploads, newest first."""
    return document_imports.history(db_session(), query)


@operators.route("/documents/imports/<import_id>", methods=["GET"])
@operators.refuses(404)
@operator_only
@operators.response(200, DocumentImportSchema)
def import_report(import_id):
    """A bulk upload's progress, and its per-line report once done."""
    return document_imports.report(document_imports.find(db_session(), import_id))

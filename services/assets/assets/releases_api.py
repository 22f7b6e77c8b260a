"""Routes of the updates: the clients' list and download (``/assets/releases``), the operators'
publishing, list and retirement (``/operator/releases``)."""
from __future__ import annotations

from flask import request
from marshmallow import ValidationError

from portalkit import file_answers, uploads
from portalkit.errors import PortalError
from portalkit.filestore import default_store
from portalkit.web import Blueprint, caller, database, db_session, operator_only, requires

from . import releases
from .download_settings import DownloadSettings
from .release_schemas import (OperatorReleasePage, OperatorReleaseQuery, OperatorReleaseSchema, ReleaseFieldsIn,
                              ReleasePage, ReleaseQuery, ReleaseSchema, ReleaseUploadDoc)
from .releases import DOWNLOAD_SERVICE

blp = Blueprint("releases", __name__, url_prefix="/assets", description="Updates to download")
operators = Blueprint("operator-releases", __name__, url_prefix="/operator",
                      description="Operators' publishing of updates")


def _product(product, language: str) -> dict:
    name = product.name_fr if language == "fr" else product.name_en
    return {"id": product.id, "code": product.code, "name": name or product.name_en}


def _shown(release, product, waiting: bool, language: str) -> dict:
    notes = release.notes_fr if language == "fr" else release.notes_en
    return {"id": release.id, "product": _product(product, language), "version": release.version,
            "channel": release.channel, "released_on": release.released_on, "size": release.size,
            "sha256": release.sha256, "notes": notes or release.notes_en or release.notes_fr,
            "file_name": release.file_name, "file_url": f"/api/assets/releases/{release.id}/file",
            "waiting": waiting}


@blp.route("/releases", methods=["GET"])
@requires(DOWNLOAD_SERVICE)
@blp.arguments(ReleaseQuery, location="query")
@blp.response(200, ReleasePage)
def list_releases(query):
    """The updates the caller may download, newest first; ``waiting`` marks those the caller has not
    downloaded yet, and ``waiting_total`` counts them (the filters but ``waiting`` and paging apply);
    ``products`` lists the products of every release offered, to narrow the list by."""
    identity = caller()
    page = releases.list_offered(db_session(), identity.user_id, identity.companies_with(DOWNLOAD_SERVICE), query)
    return {"items": [_shown(release, product, waiting, identity.language)
                      for release, product, waiting in page["items"]],
            "total": page["total"], "waiting_total": page["waiting_total"],
            "products": [_product(product, identity.language) for product in page["products"]]}


@blp.route("/releases/<release_id>", methods=["GET"])
@blp.refuses(404)
@requires(DOWNLOAD_SERVICE)
@blp.response(200, ReleaseSchema)
def show_release(release_id):
    """One update the caller may download (404 for another company's)."""
    identity = caller()
    session = db_session()
    release, _company = releases.find_offered(session, release_id, identity.companies_with(DOWNLOAD_SERVICE))
    product = session.get(releases.Product, release.product_id)
    waiting = session.get(releases.ReleaseDownload, (release.id, identity.user_id)) is None
    return _shown(release, product, waiting, identity.language)


@blp.route("/releases/<release_id>/file", methods=["GET"])
@blp.refuses(404, 416)
@requires(DOWNLOAD_SERVICE)
@blp.response(200, description="The file (streamed); with `Range`, 206 and the bytes asked for; "
                                "`ETag`, `Accept-Ranges`, `Repr-Digest: sha-256=:…:`.")
@blp.alt_response(206, description="The range asked for")
def download(release_id):
    """Download an update; counts as downloaded for the caller (it is no longer waiting)."""
    identity = caller()
    release, company = releases.find_offered(db_session(), release_id, identity.companies_with(DOWNLOAD_SERVICE))
    answer = file_answers.decide(release.size, release.sha256)
    if answer.status in (200, 206) and request.method == "GET":
        # Written before the first byte goes: the answer means it counts (a resumed one too).
        with database().transaction() as session:
            releases.record_download(session, session.get(releases.Release, release.id), identity.user_id,
                                     company, fresh=answer.start == 0)
    return file_answers.send(default_store(), release.file_key, release.size, release.sha256,
                             release.file_name, answer)


@operators.route("/releases", methods=["POST"])
@operators.refuses(400, 409, 413, 415)
@operator_only
@uploads.streamed_body
@operators.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": ReleaseUploadDoc}}})
@operators.response(201, OperatorReleaseSchema)
def publish(*_args):
    """Publish an update (multipart: ``product_id, version, channel, released_on, notes_en, notes_fr,
    file``): offered at once to the companies whose contract covers the product; a file over
    ``PORTAL_ASSETS_RELEASE_MAX_BYTES`` answers 413 and nothing is stored."""
    store = default_store()
    upload = uploads.receive(store, DownloadSettings.load().release_max_bytes, prefix="releases")
    try:
        try:
            fields = ReleaseFieldsIn().load(upload.fields)
        except ValidationError as error:
            messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
            raise PortalError(400, "invalid_input", "Some fields are invalid.", messages) from None
        if upload.stored is None:
            raise PortalError(400, "invalid_input", "Some fields are invalid.", {"file": ["Send the file."]})
        release = releases.publish(db_session(), fields, upload.stored, upload.file_name or "download",
                                   caller().user_id)
    except BaseException:
        db_session().rollback()
        if upload.stored is not None:
            store.delete(upload.stored.key)
        raise
    product = db_session().get(releases.Product, release.product_id)
    return _operator_view(release, product)


def _operator_view(release, product) -> dict:
    return {"id": release.id, "product": _product(product, "en"), "version": release.version,
            "channel": release.channel, "released_on": release.released_on, "size": release.size,
            "sha256": release.sha256, "notes_en": release.notes_en, "notes_fr": release.notes_fr,
            "file_name": release.file_name, "created_at": release.created_at, "retired_at": release.retired_at}


@operators.route("/releases", methods=["GET"])
@operator_only
@operators.arguments(OperatorReleaseQuery, location="query")
@operators.response(200, OperatorReleasePage)
def list_all(query):
    """Every release, retired ones too, newest first (``product``, ``channel`` narrow), with its
    downloads: ``downloads`` the users who downloaded it, ``download_times`` the downloads in all."""
    rows, total = releases.list_all(db_session(), query)
    return {"items": [{**_operator_view(release, product), "downloads": users, "download_times": times}
                      for release, product, users, times in rows], "total": total}


@operators.route("/releases/<release_id>/retire", methods=["POST"])
@operators.refuses(404)
@operator_only
@operators.response(200, OperatorReleaseSchema)
def retire(release_id):
    """Withdraw an update: no longer listed nor downloadable (its file stays for the record)."""
    session = db_session()
    release = releases.retire(session, release_id)
    return _operator_view(release, session.get(releases.Product, release.product_id))

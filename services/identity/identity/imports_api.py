"""Routes of the CSV import of users (``/api/identity/imports...``)."""
from flask import Response

from portalkit.web import Blueprint, caller, db_session

from . import exports, imports
from .access import administrator
from .administration_schemas import CompanyPageQuery, ImportFile, ImportForm, ImportPage, ImportReport
from .settings import IdentitySettings
from .users_api import CSV

blp = Blueprint("imports", __name__, url_prefix="/identity", description="CSV import of users")


@blp.route("/imports", methods=["POST"])
@blp.refuses(404)
@administrator
@blp.arguments(ImportForm, location="form")
@blp.arguments(ImportFile, location="files")
@blp.response(202, ImportReport, description="queued for identity's worker; with dry_run=true a kept preview "
                                              "(status preview, its lines in preview), nothing created")
def start_import(form, files):
    """Import users from a CSV file, in the background; ``dry_run=true`` keeps it as a preview
    to start by its id, answering the lines it would create and those it refuses."""
    settings, upload = IdentitySettings.load(), files["file"]
    raw = upload.stream.read(settings.import_max_bytes + 1)
    if form["dry_run"]:
        return imports.preview(db_session(), settings, caller(), raw, upload.filename or "", form["company_id"])
    return imports.start(db_session(), settings, caller(), raw, upload.filename or "", form["company_id"])


@blp.route("/imports/<import_id>/start", methods=["POST"])
@blp.refuses(409, description="import_started: already started")
@blp.refuses(410, description="preview_expired: the preview is no longer kept")
@administrator
@blp.response(202, ImportReport, description="queued, as the upload of its file would be")
def start_preview(import_id):
    """Start a kept dry run (the caller's own), exactly as uploading its file would."""
    return imports.start_preview(db_session(), IdentitySettings.load(), caller(), import_id)


@blp.route("/imports", methods=["GET"])
@blp.refuses(404)
@administrator
@blp.arguments(CompanyPageQuery, location="query")
@blp.response(200, ImportPage)
def list_imports(query):
    """List the imports into the administered companies, newest first (reports left out)."""
    items, total = imports.history(db_session(), caller(), query)
    return {"items": items, "total": total}


@blp.route("/imports/<import_id>", methods=["GET"])
@administrator
@blp.response(200, ImportReport)
def import_report(import_id):
    """Show an import's progress, and its report once done."""
    return imports.report(db_session(), caller(), import_id)


@blp.route("/imports/<import_id>/rejected.csv", methods=["GET"])
@administrator
@blp.doc(responses=CSV)
def rejected_lines(import_id):
    """Export an import's refused lines as they were, the reason last, to correct and import again."""
    body = exports.rejected_csv(db_session(), caller(), import_id)
    return Response(body.encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="rejected-{import_id}.csv"'})

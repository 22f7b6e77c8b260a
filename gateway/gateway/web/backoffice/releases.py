"""The updates in the back office (``/operator/releases``): every release (criteria: product, channel;
pager) with its downloads, its retirement, and the form publishing one, through assets' operator API.

The form's file may weigh gigabytes, past the pages' 8 MiB body limit: its POST is not parsed here.
The view checks the session and the CSRF token (carried in the form's address, since the body is not
read first), refuses a body over assets' limit (``PORTAL_ASSETS_RELEASE_MAX_BYTES``) before reading
it, then streams the body as it comes to assets' ``/operator/releases`` (as the API route does) —
glancing at the small fields ahead of the file on the way, to show them again with the errors.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

from portalkit.uploads import FORM_OVERHEAD

from gateway import seams

from ..common import calls, csrf, space_blueprint
from ..common.charts import BarChart, Series
from ..common.pager import last_page_of, page_number, pager, url_with
from ..common.sizes import size_text
from .access import call, operator_page, read

bp = space_blueprint("backoffice_releases", __name__)
# The upload's POST reads its own body (and checks its CSRF token itself): no form parsing before it.
uploads = Blueprint("backoffice_release_upload", __name__, template_folder="templates")

PATH = "/operator/releases"
PER_PAGE = 10
CHUNK = 64 * 1024
FIELD_BYTES = 64 * 1024
CHANNELS = {"stable": lazy_gettext("Stable"), "prerelease": lazy_gettext("Pre-release")}
FIELDS = ("product_id", "version", "channel", "released_on", "notes_en", "notes_fr")
MESSAGES = {"product_id": lazy_gettext("Choose a product."),
            "version": lazy_gettext("Enter the version: printable characters, at most 64."),
            "channel": lazy_gettext("Choose a channel."),
            "released_on": lazy_gettext("Enter the release date."),
            "notes_en": lazy_gettext("At most 20,000 characters."),
            "notes_fr": lazy_gettext("At most 20,000 characters."),
            "file": lazy_gettext("Choose the update's file.")}
DONE = {"published": ("success", lazy_gettext("The update has been published: it is offered at once.")),
        "retired": ("success", lazy_gettext("The update has been withdrawn: it is no longer offered."))}


def _criteria(args, products: list[dict]) -> dict:
    known = {product["id"] for product in products}
    return {"product": args.get("product") if args.get("product") in known else "",
            "channel": args.get("channel") if args.get("channel") in CHANNELS else ""}


def downloads_chart(releases: list[dict]) -> BarChart | None:
    """The page's releases as bars, oldest first (as a chart over time reads): the users who
    downloaded each, and its downloads in all (a user's resumed or repeated downloads counted)."""
    if not releases:
        return None
    shown = list(reversed(releases))  # the list is newest first
    return BarChart(title=gettext("Downloads per release"),
                    categories=[f"{release['product']['code']} {release['version']}" for release in shown],
                    series=[Series(gettext("Users who downloaded it"), [release.get("downloads") or 0 for release in shown]),
                            Series(gettext("Downloads in all"), [release.get("download_times") or 0 for release in shown])])


def _limit() -> int:
    return seams.current().settings.release_max_bytes


def _page(values: dict, errors: dict, status: int = 200):
    products = read("assets", "/operator/products", {"per_page": 200}).get("items") or []
    criteria = _criteria(request.args, products)
    page = page_number(request.args.get("page"))
    answer = read("assets", PATH, {"product": criteria["product"] or None, "channel": criteria["channel"] or None,
                                   "page": page, "per_page": PER_PAGE})
    total = answer.get("total") or 0
    if status == 200 and page > last_page_of(total, PER_PAGE):
        return redirect(url_with(PATH, criteria, last_page_of(total, PER_PAGE)))
    done = DONE.get(request.args.get("done", ""))
    options = [(product["id"], f"{product['code']} — {product['name_en']}") for product in products]
    return render_template(
        "backoffice/releases.html", releases=answer.get("items") or [], criteria=criteria, channels=CHANNELS,
        downloads_chart=downloads_chart(answer.get("items") or []),
        products=options, pager=pager(PATH, criteria, page, total, PER_PAGE), filtered=any(criteria.values()),
        message=(done[0], str(done[1])) if done else None, values=values, errors=errors, size_text=size_text,
        limit_text=size_text(_limit()), upload_action=f"{PATH}?{csrf.FIELD}={quote(csrf.token(), safe='')}"), status


@bp.route(PATH)
@operator_page
def index():
    """The releases, newest first, with their downloads, and the form publishing one."""
    return _page({"channel": "stable"}, {})


@bp.route(PATH + "/<release_id>/retire", methods=["POST"])
@operator_page
def retire(release_id):
    """Withdraw the update: no longer offered nor downloadable."""
    status, _ = call("assets", "POST", f"{PATH}/{quote(release_id, safe='')}/retire")
    if status == 404:
        abort(404)
    if status != 200:
        abort(503)
    return redirect(PATH + "?done=retired", 303)


class _TooLarge(Exception):
    """The body went past the limit while it streamed (a body sent without its length)."""


def _streamed(stream, limit: int, boundary: str, values: dict):
    """The body as it comes, chunk by chunk; the fields before the file are noted in ``values``."""
    decoder = MultipartDecoder(boundary.encode("latin-1"), max_form_memory_size=FIELD_BYTES * len(FIELDS))
    watching, name, sent = True, None, 0
    while True:
        try:
            chunk = stream.read(CHUNK)
        except RequestEntityTooLarge:
            raise _TooLarge() from None
        if not chunk:
            return
        sent += len(chunk)
        if sent > limit:
            raise _TooLarge()
        if watching:
            try:
                watching, name = _note(decoder, chunk, values, name)
            except ValueError:  # not a form this page could read: assets will say so
                watching = False
        yield chunk


def _note(decoder: MultipartDecoder, chunk: bytes, values: dict, name):
    decoder.receive_data(chunk)
    event = decoder.next_event()
    while not isinstance(event, (NeedData, Epilogue)):
        if isinstance(event, File):
            return False, None  # the file comes last in the page's form: stop looking
        if isinstance(event, Field):
            name = event.name if event.name in FIELDS else None
            if name:
                values[name] = ""
        elif isinstance(event, Data) and name and len(values[name]) < FIELD_BYTES:
            values[name] += event.data.decode("utf-8", "replace")
        event = decoder.next_event()
    return True, name


def _refused(status: int, answer) -> tuple[dict, int]:
    """The errors to show beside the fields for assets' refusal."""
    code = calls.error_code(answer)
    if status == 409 and code == "release_exists":
        return {"version": gettext("This product already has a release of this version.")}, 409
    if status == 413:
        return {"file": gettext("The file is larger than the %(size)s an update may weigh.",
                                size=size_text(_limit()))}, 413
    if status == 400:
        fields = calls.error_fields(answer)
        errors = {name: str(MESSAGES.get(name) or gettext("This value is not accepted.")) for name in fields
                  if name in MESSAGES}
        return errors or {"form": gettext("The form could not be read: choose the file again, then publish.")}, 400
    if status == 415:
        return {"form": gettext("The form could not be read: choose the file again, then publish.")}, 400
    if status == 403:
        abort(403)
    abort(503)


@uploads.route(PATH, methods=["POST"])
@operator_page
def publish():
    """Publish the update: the form's body streams on to assets, never held whole in memory."""
    csrf.check_token(request.args.get(csrf.FIELD) or "")
    limit = _limit() + FORM_OVERHEAD
    length = request.content_length
    boundary = request.mimetype_params.get("boundary") if request.mimetype == "multipart/form-data" else None
    # A body without its length is read only where the server says where it ends (gunicorn does).
    readable = length is not None or request.environ.get("wsgi.input_terminated")
    if not boundary or not readable:
        return _page({}, {"form": gettext("The form could not be read: choose the file again, then publish.")}, 400)
    if length is not None and length > min(limit, seams.current().settings.max_upload_bytes):
        return _page({}, {"file": gettext("The file is larger than the %(size)s an update may weigh.",
                                          size=size_text(_limit()))}, 413)
    request.max_content_length = limit  # this view's own limit, in place of the pages' 8 MiB
    values: dict = {}
    headers = {"Content-Type": request.headers["Content-Type"]}
    if length is not None:
        headers["Content-Length"] = str(length)
    try:
        status, answer = call("assets", "POST", PATH, headers=headers,
                              body=_streamed(request.stream, limit, boundary, values))
    except _TooLarge:
        return _page(values, {"file": gettext("The file is larger than the %(size)s an update may weigh.",
                                              size=size_text(_limit()))}, 413)
    if status == 201:
        return redirect(PATH + "?done=published", 303)
    errors, refusal = _refused(status, answer)
    return _page(values, errors, refusal)

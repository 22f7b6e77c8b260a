"""The updates in the back office (``/operator/releases``): every release (criteria: product, channel;
pager) with its downloads, its retirement, and the form publishing one, through assets' operator API.

The form's file may weigh gigabytes, past the pages' 8 MiB body limit: its POST is not parsed here.
The view checks the session, then ``common.streamed_forms`` checks the CSRF token (carried in the
form's address), refuses a body over assets' limit (``PORTAL_ASSETS_RELEASE_MAX_BYTES``) before
reading it and streams it as it comes to assets' ``/operator/releases`` (as the API route does).
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, redirect, render_template, request
from flask_babel import gettext, lazy_gettext

from portalkit.uploads import FORM_OVERHEAD

from gateway import seams

from ..common import calls, space_blueprint, streamed_forms
from ..common.charts import BarChart, Series
from ..common.pager import last_page_of, page_number, pager, url_with
from ..common.sizes import size_text
from .access import call, operator_page, read

bp = space_blueprint("backoffice_releases", __name__)
# The upload's POST reads its own body (and checks its CSRF token itself): no form parsing before it.
uploads = Blueprint("backoffice_release_upload", __name__, template_folder="templates")

PATH = "/operator/releases"
PER_PAGE = 10
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
        limit_text=size_text(_limit()), upload_action=streamed_forms.action(PATH)), status


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
    too_large = {"file": gettext("The file is larger than the %(size)s an update may weigh.", size=size_text(_limit()))}
    try:
        sent = streamed_forms.forward("assets", PATH, _limit() + FORM_OVERHEAD, FIELDS)
    except streamed_forms.Unreadable:
        return _page({}, {"form": gettext("The form could not be read: choose the file again, then publish.")}, 400)
    except streamed_forms.TooLarge as error:
        return _page(error.values, too_large, 413)
    if sent.status == 201:
        return redirect(PATH + "?done=published", 303)
    errors, refusal = _refused(sent.status, sent.answer)
    return _page(sent.values, errors, refusal)

"""Feeds that calendar apps read by a secret link, without signing in (``/feeds/<feed>/<secret>.ics``).

assets keeps each user's secret link (its hash only, ``assets/feed_links.py``) and resolves a secret
on its internal route; the gateway then reads the feed from its service *as that user*, with the
rights the user holds now (the entitlement read-model, as for a session), so the feed shows what
the user may see. An unknown, renewed or revoked secret, and a user who may no longer read the feed,
all answer the same 404. A new feed is one line of ``FEEDS`` (and its purpose in assets).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, request
from werkzeug.wrappers import Response

from portalkit.signed_identity import HEADER, Identity

from gateway import seams
from gateway.upstream import UpstreamError

RESOLVE_PATH = "/_portal/feed-links/resolve"  # assets' (feed_links_api.py), outside the allow-list
MAX_FEED_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Feed:
    purpose: str  # the feed link's purpose in assets
    service: str  # who serves the feed, and its path there
    path: str
    file_name: str


# The address segment of each feed → what it is.
FEEDS = {"release-calendar": Feed("release_calendar", "assets", "/assets/calendar.ics", "release-calendar.ics"),
         "planning": Feed("planning", "assets", "/assets/planning/feed.ics", "planning.ics")}

bp = Blueprint("feeds", __name__)


def feed_url(path: str) -> str:
    """The absolute address of a feed's path (``PORTAL_BASE_URL``, the one the mails' links use)."""
    from flask import current_app
    base = current_app.extensions["portal.settings"].base_url.rstrip("/")
    return base + path


def webcal_url(url: str) -> str:
    """The same address for calendar apps that subscribe by ``webcal://``."""
    return "webcal://" + url.split("://", 1)[1] if "://" in url else url


@bp.route("/feeds/<name>/<secret>.ics")
def feed(name, secret):
    """Serve the feed of a secret link as its user sees it (404 for any other)."""
    wanted = FEEDS.get(name)
    if wanted is None or not secret or len(secret) > 128:
        abort(404)
    upstream = seams.current().upstream
    status, link = upstream.call("assets", "POST", RESOLVE_PATH, Identity(client_ip=request.remote_addr),
                                 json={"purpose": wanted.purpose, "secret": secret})
    if status == 404:
        abort(404)
    if status != 200 or not isinstance(link, dict) or not link.get("user_id"):
        abort(503)
    user_id = str(link["user_id"])
    reader = Identity(user_id=user_id, company_id=link.get("company_id"), language=link.get("language") or "en",
                      client_ip=request.remote_addr,
                      entitlements=seams.current().sessions.reader.entitlements_of(user_id))
    try:
        response = upstream.open(wanted.service, "GET", wanted.path, {HEADER: upstream.signer.header(reader)})
    except UpstreamError:
        abort(503)
    try:
        body = response.read(MAX_FEED_BYTES + 1, decode_content=True)
    finally:
        response.release_conn()
    if response.status in (401, 403, 404):  # the user may no longer read it: as if the link did not exist
        abort(404)
    if response.status != 200 or len(body) > MAX_FEED_BYTES:
        abort(503)
    return Response(body, 200, content_type=response.headers.get("Content-Type") or "text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'inline; filename="{wanted.file_name}"',
                             "Cache-Control": "private, no-cache", "Referrer-Policy": "no-referrer",
                             "X-Robots-Tag": "noindex"})

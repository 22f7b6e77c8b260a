"""Routes of the secret feed links: a user's own (``/assets/feed-links/<purpose>``: read, renew,
revoke) and the gateway's look-up of a secret (``POST /_portal/feed-links/resolve``, outside the
allow-list and the OpenAPI document: no client reaches it)."""
from __future__ import annotations

from flask import Flask, jsonify, request
from marshmallow import Schema, fields

from portalkit.web import Blueprint, caller, db_session, signed_in

from . import feed_links

blp = Blueprint("feed-links", __name__, url_prefix="/assets",
                description="Secret links to the feeds calendar apps read (the release calendar, the planning)")
RESOLVE_PATH = "/_portal/feed-links/resolve"


class FeedLinkSchema(Schema):
    purpose = fields.String(metadata={"enum": sorted(feed_links.PURPOSES)})
    created_at = fields.AwareDateTime()
    last_read_at = fields.AwareDateTime(allow_none=True)


class RenewedFeedLink(FeedLinkSchema):
    secret = fields.String(metadata={"description": "Shown this once: only its hash is kept"})
    path = fields.String(metadata={"description": "The feed's address on the portal"})


def feed_path(purpose: str, secret: str) -> str:
    return f"/feeds/{purpose.replace('_', '-')}/{secret}.ics"


@blp.route("/feed-links/<purpose>", methods=["GET"])
@blp.refuses(403, 404)
@signed_in
@blp.response(200, FeedLinkSchema)
def show(purpose):
    """The caller's feed link of ``purpose`` (when it was made and last read; its secret is never shown again)."""
    return feed_links.current(db_session(), caller(), purpose)


@blp.route("/feed-links/<purpose>", methods=["POST"])
@blp.refuses(403, 404)
@signed_in
@blp.response(201, RenewedFeedLink)
def renew(purpose):
    """Make the caller's feed link of ``purpose``, or renew it: the old one answers 404 from now on."""
    link, secret = feed_links.renew(db_session(), caller(), purpose)
    return {"purpose": link.purpose, "created_at": link.created_at, "last_read_at": None, "secret": secret,
            "path": feed_path(link.purpose, secret)}


@blp.route("/feed-links/<purpose>", methods=["DELETE"])
@blp.refuses(404)
@signed_in
@blp.response(204)
def revoke(purpose):
    """Delete the caller's feed link of ``purpose``."""
    feed_links.revoke(db_session(), caller(), purpose)


def install(app: Flask) -> None:
    """The gateway's internal look-up of a secret (the feed is then read as the link's user)."""

    @app.route(RESOLVE_PATH, methods=["POST"])
    def resolve_feed_link():
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        link = feed_links.resolve(db_session(), str(body.get("purpose") or ""), body.get("secret"))
        return jsonify(user_id=link.user_id, company_id=link.company_id, language=link.language,
                       purpose=link.purpose)

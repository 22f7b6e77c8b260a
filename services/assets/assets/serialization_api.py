"""Routes of serialization: the codes a company's administrators and holders of "Download updates"
ask for, their identifier changes, and what installed software reads without signing in — the
public keys and the revocation list."""
from __future__ import annotations

import json

from flask import current_app, jsonify

from portalkit import entitlements
from portalkit.errors import PortalError, forbidden
from portalkit.rate_limits import RateLimit, parse_limits
from portalkit.settings import SettingsError
from portalkit.web import Blueprint, caller, db_session, signed_in

from . import identifier_changes, serialization, serialization_codes
from .serialization_schemas import (ChangePage, IdentifierChangeAccepted, IdentifierChangeIn,
                                    IdentifierChangeSchema, PublicKeys, PublicKeySchema, RevocationPage,
                                    OwnChangeQuery, RevocationQuery, SerializationAnswer, SerializationIn)
from .settings import AssetsSettings
from .signing_keys import KeyRing, key_ring

blp = Blueprint("serialization", __name__, url_prefix="/assets",
                description="Serialization codes, their keys, identifier changes and revocations")
LIMIT = "assets.serialization_limit"


def install(app) -> None:
    """The app's per-company counter of serializations (one storage for every process in production)."""
    app.extensions[LIMIT] = RateLimit("serialization", parse_limits(AssetsSettings.load().serialization_rate_limit))


def signing_ring() -> KeyRing:
    """The signing keys; a production without ``PORTAL_ASSETS_SIGNING_KEYS`` answers 503 (logged)."""
    try:
        return key_ring()
    except SettingsError as error:
        current_app.logger.error("serialization unavailable: %s", error)
        raise PortalError(503, "signing_keys_missing", "Serialization is not configured on this portal.") from None


def _serializing_company() -> str:
    """The caller's company, if they may serialize its holdings (its administrators, holders of
    "Download updates"); counted against the company's rate limit."""
    identity = caller()
    company_id = identity.company_id
    if not company_id or not (identity.holds(entitlements.ADMINISTRATION) or identity.holds(entitlements.DOWNLOAD_UPDATES)):
        raise forbidden("Serialization is for the company's administrators and holders of \"Download updates\".")
    current_app.extensions[LIMIT].hit(company_id)
    return company_id


def code_item(holding, product, code: dict, french: bool) -> dict:
    return {"holding_id": holding.id, "product": {"id": product.id, "code": product.code,
                                                  "name": product.name_fr if french else product.name_en,
                                                  "major_version": code["major_version"]},
            "machine_id": code["machine_id"], "code": code["code"], "code_id": code["id"], "key_id": code["key_id"],
            "issued_on": code["issued_on"].isoformat()}


def change_item(change, holdings, company=None) -> dict:
    french = caller().language == "fr"
    return {**{name: getattr(change, name) for name in (
        "id", "status", "company_id", "requested_by", "new_machine_id", "reason", "requested_at",
        "decided_at", "decision_reason")},
        "company": {"id": change.company_id, "number": company.number if company else "",
                    "name": company.name if company else ""},
        "holdings": [{"holding_id": row["holding_id"], "previous_machine_id": row["previous_machine_id"],
                      "product": {"code": row["product"]["code"],
                                  "name": row["product"]["name_fr" if french else "name_en"]}} for row in holdings]}


def change_page(changes, total) -> dict:
    session = db_session()
    rows = identifier_changes.holdings_of(session, [change.id for change in changes])
    companies = identifier_changes.companies_of(session, {change.company_id for change in changes})
    return {"items": [change_item(change, rows[change.id], companies.get(change.company_id)) for change in changes],
            "total": total}


@blp.route("/serializations", methods=["POST"])
@blp.refuses(400, 403, 404, 409, 429)
@signed_in
@blp.arguments(SerializationIn)
@blp.response(201, SerializationAnswer)
def serialize(data):
    """Issue a code per selected serializable holding under contract, bound to ``machine_id``."""
    company_id = _serializing_company()
    issued = serialization.issue(db_session(), signing_ring(), company_id, caller().user_id,
                                 data["machine_id"], data["holding_ids"])
    french = caller().language == "fr"
    # Already in the answer's shape (SerializationAnswer documents it): a 500-code answer is
    # not dumped field by field again.
    return jsonify(items=[code_item(item["holding"], item["product"], item["code"], french) for item in issued]), 201


@blp.route("/identifier-changes", methods=["POST"])
@blp.refuses(400, 403, 404, 409, 429)
@signed_in
@blp.arguments(IdentifierChangeIn)
@blp.response(202, IdentifierChangeAccepted)
def request_change(data):
    """Ask for holdings to move to another machine identifier; an operator decides."""
    company_id = _serializing_company()
    change = identifier_changes.request(db_session(), company_id, caller().user_id, caller().language, data)
    return {"id": change.id, "status": change.status}


@blp.route("/identifier-changes", methods=["GET"])
@blp.refuses(403)
@signed_in
@blp.arguments(OwnChangeQuery, location="query")
@blp.response(200, ChangePage)
def list_changes(query):
    """The company's identifier changes, newest first."""
    identity = caller()
    if not (identity.holds(entitlements.ADMINISTRATION) or identity.holds(entitlements.DOWNLOAD_UPDATES)):
        raise forbidden()
    return change_page(*identifier_changes.list_changes(db_session(), query, identity.company_id))


@blp.route("/serialization/key", methods=["GET"])
@blp.response(200, PublicKeySchema)
def current_key():
    """The public key new codes are signed with (no sign-in: installed software reads it)."""
    return signing_ring().current.published()


@blp.route("/serialization/keys", methods=["GET"])
@blp.response(200, PublicKeys)
def all_keys():
    """Every public key codes in force may name, the current one first."""
    ring = signing_ring()
    return {"current": ring.current.key_id, "items": [key.published() for key in ring.keys]}


@blp.route("/serialization/revocations", methods=["GET"])
@blp.arguments(RevocationQuery, location="query")
@blp.response(200, RevocationPage)
def revocation_list(query):
    """The revoked codes (id, SHA-256 of the code, key, date), oldest revocation first; public."""
    codes, total = identifier_changes.revocations(db_session(), query)
    items = [{"id": code.id, "sha256": serialization_codes.fingerprint(code.code), "key_id": code.key_id,
              "revoked_at": code.revoked_at} for code in codes]
    # The page's code ids, signed like a code (same format, same keys): a copy passed on by a
    # mirror or a USB stick is checked offline too.
    statement = json.dumps({"revoked": [code.id for code in codes], "total": total, "page": query["page"],
                            "per_page": query["per_page"], "key_id": signing_ring().current.key_id},
                           separators=(",", ":"), sort_keys=True).encode()
    return {"items": items, "total": total, "signed": serialization_codes.sign(signing_ring().current, statement)}

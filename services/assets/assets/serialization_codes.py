"""The serialization code's format: ``<payload>.<signature>``, both base64url without padding.

``payload`` is compact UTF-8 JSON with sorted keys — ``code_id``, ``company``, ``product`` (the
product's code), ``machine_id``, ``major_version`` (null for a product without one), ``issued_on``
(YYYY-MM-DD) and ``key_id`` — and ``signature`` the Ed25519 signature of exactly those bytes by
the key ``key_id`` (``GET /api/assets/serialization/keys``), so installed software checks a code
offline; ``code_id`` is what the public revocation list names.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date

from portalkit.signing_keys import InvalidSigned, sign, verify  # noqa: F401 (the codes' own words)


# json.dumps with these options would build an encoder per call: 500 of them per selection.
_CLAIMS = json.JSONEncoder(separators=(",", ":"), sort_keys=True, ensure_ascii=False)


# Not a code of ours: malformed, of an unknown key, or with a signature that does not match.
InvalidCode = InvalidSigned


def payload_of(code_id: str, company_id: str, product_code: str, machine_id: str, major_version: int | None,
               issued_on: date, key_id: str) -> bytes:
    claims = {"code_id": code_id, "company": company_id, "product": product_code, "machine_id": machine_id,
              "major_version": major_version, "issued_on": issued_on.isoformat(), "key_id": key_id}
    return _CLAIMS.encode(claims).encode("utf-8")


def fingerprint(code: str) -> str:
    """The SHA-256 of a code's text, hex: the revocation list names it beside ``code_id``."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()

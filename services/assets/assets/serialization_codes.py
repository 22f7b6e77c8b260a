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

from cryptography.exceptions import InvalidSignature

from .signing_keys import KeyRing, SigningKey, b64url, b64url_decode


# json.dumps with these options would build an encoder per call: 500 of them per selection.
_CLAIMS = json.JSONEncoder(separators=(",", ":"), sort_keys=True, ensure_ascii=False)


class InvalidCode(ValueError):
    """Not a code of ours: malformed, of an unknown key, or with a signature that does not match."""


def payload_of(code_id: str, company_id: str, product_code: str, machine_id: str, major_version: int | None,
               issued_on: date, key_id: str) -> bytes:
    claims = {"code_id": code_id, "company": company_id, "product": product_code, "machine_id": machine_id,
              "major_version": major_version, "issued_on": issued_on.isoformat(), "key_id": key_id}
    return _CLAIMS.encode(claims).encode("utf-8")


def sign(key: SigningKey, payload: bytes) -> str:
    return f"{b64url(payload)}.{b64url(key.private_key.sign(payload))}"


def verify(ring: KeyRing, code: str) -> dict:
    """The claims of a code signed by one of the ring's keys, or ``InvalidCode``."""
    try:
        encoded_payload, encoded_signature = code.split(".")
        payload, signature = b64url_decode(encoded_payload), b64url_decode(encoded_signature)
        claims = json.loads(payload)
    except (ValueError, TypeError):
        raise InvalidCode("malformed") from None
    key = ring.get(claims.get("key_id")) if isinstance(claims, dict) else None
    if key is None:
        raise InvalidCode("unknown key")
    try:
        key.public_key.verify(signature, payload)
    except InvalidSignature:
        raise InvalidCode("bad signature") from None
    return claims


def fingerprint(code: str) -> str:
    """The SHA-256 of a code's text, hex: the revocation list names it beside ``code_id``."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()

"""The signed deposit receipt: ``<payload>.<signature>`` (portalkit.signing_keys), the payload
compact UTF-8 JSON with sorted keys — ``deposit_id``, ``siren`` (the entity's), ``sha256`` (of the
file as received), ``deposited_at`` (ISO 8601, UTC) and ``key_id`` — signed with Ed25519 by the key
``key_id`` of ``PORTAL_DECLARATIONS_SIGNING_KEYS`` (public keys: ``GET /api/declarations/receipts/keys``),
so that a declarant proves a deposit offline."""
from __future__ import annotations

import json
from datetime import datetime

from portalkit.signing_keys import KeyRing, KeySetting, sign, verify

KEYS = KeySetting("PORTAL_DECLARATIONS_SIGNING_KEYS", "declarations-signing-key")


def payload_of(deposit_id: str, siren: str, sha256: str, deposited_at: datetime, key_id: str) -> bytes:
    claims = {"deposit_id": deposit_id, "siren": siren, "sha256": sha256,
              "deposited_at": deposited_at.isoformat().replace("+00:00", "Z"), "key_id": key_id}
    return json.dumps(claims, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode("utf-8")


def issue(ring: KeyRing, deposit_id: str, siren: str, sha256: str, deposited_at: datetime) -> str:
    key = ring.current
    return sign(key, payload_of(deposit_id, siren, sha256, deposited_at, key.key_id))


def read(ring: KeyRing, receipt: str) -> dict:
    """The claims of a receipt of ours (``portalkit.signing_keys.InvalidSigned`` otherwise)."""
    return verify(ring, receipt)

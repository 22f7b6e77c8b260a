"""The Ed25519 keys assets signs serialization codes with: ``PORTAL_ASSETS_SIGNING_KEYS``
(portalkit.signing_keys says how they are written, rotated and made in the embedded mode)."""
from portalkit.signing_keys import KeyRing, KeySetting, SigningKey, b64url, b64url_decode, new_key_text  # noqa: F401

KEYS = KeySetting("PORTAL_ASSETS_SIGNING_KEYS", "assets-signing-key")
SETTING = KEYS.setting


def parse_keys(text: str) -> KeyRing:
    return KEYS.parse(text)


def load_keys() -> KeyRing:
    return KEYS.load()


def key_ring() -> KeyRing:
    return KEYS.ring()

"""The Ed25519 keys serialization codes are signed with, from settings; never in git.

``PORTAL_ASSETS_SIGNING_KEYS`` lists ``key_id:base64 private key`` pairs (the raw 32-byte seed,
base64 or base64url), separated by commas or spaces: the first signs, every one verifies, so a
new key put first gets its own ``key_id`` and the codes signed before keep verifying with the key
they name. Production must set it; the embedded mode makes one key once under ``var/`` (as the
identity secret) so that every process of the mesh signs alike.
"""
from __future__ import annotations

import base64
import binascii
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from portalkit.settings import SettingsError, env, var_dir

SETTING = "PORTAL_ASSETS_SIGNING_KEYS"
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")
EMBEDDED_FILE = "assets-signing-key"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def public_raw(self) -> bytes:
        return self.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)

    def published(self) -> dict:
        return {"key_id": self.key_id, "algorithm": "Ed25519", "public_key": b64url(self.public_raw)}


@dataclass(frozen=True)
class KeyRing:
    """The keys in force: ``current`` signs, ``by_id`` verifies."""

    keys: tuple[SigningKey, ...]

    @property
    def current(self) -> SigningKey:
        return self.keys[0]

    def get(self, key_id: str) -> SigningKey | None:
        return next((key for key in self.keys if key.key_id == key_id), None)


def parse_keys(text: str) -> KeyRing:
    """The ring a setting's value describes; ``SettingsError`` naming what is wrong."""
    keys: list[SigningKey] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        key_id, sep, encoded = part.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise SettingsError(f"{SETTING}: each key is key_id:base64 (key_id of letters, digits, - or _)")
        try:
            seed = b64url_decode(encoded.replace("+", "-").replace("/", "_").rstrip("="))
        except (binascii.Error, ValueError):
            raise SettingsError(f"{SETTING}: the key {key_id!r} is not base64") from None
        if len(seed) != 32:
            raise SettingsError(f"{SETTING}: the key {key_id!r} is not a raw 32-byte Ed25519 private key")
        if any(key.key_id == key_id for key in keys):
            raise SettingsError(f"{SETTING}: the key_id {key_id!r} is given twice")
        keys.append(SigningKey(key_id, Ed25519PrivateKey.from_private_bytes(seed)))
    if not keys:
        raise SettingsError(f"{SETTING} holds no key")
    return KeyRing(tuple(keys))


def new_key_text(key_id: str) -> str:
    """A fresh ``key_id:base64url`` pair, for the setting (``python -m assets.signing_keys <key_id>``)."""
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat
    seed = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return f"{key_id}:{b64url(seed)}"


def _embedded_text() -> str:
    path = var_dir() / EMBEDDED_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(new_key_text("embedded-1"))
    return path.read_text().strip()


def load_keys() -> KeyRing:
    """The ring of the settings (read at each app's start: see ``key_ring``)."""
    text = env(SETTING)
    if text:
        return parse_keys(text)
    if env("PORTAL_ENV", "development") == "production":
        raise SettingsError(f"{SETTING} must be set in production")
    return parse_keys(_embedded_text())


@lru_cache(maxsize=8)
def _cached(text: str | None, var: str) -> KeyRing:
    return load_keys()


def key_ring() -> KeyRing:
    """The ring for the current environment, parsed once per value of the setting."""
    return _cached(env(SETTING), str(var_dir()))


if __name__ == "__main__":  # pragma: no cover - an operator's tool
    import sys
    print(new_key_text(sys.argv[1] if len(sys.argv) > 1 else "key-1"))

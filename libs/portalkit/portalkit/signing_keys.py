"""A service's Ed25519 keys (assets' serialization codes, declarations' deposit receipts), from
its setting (``KeySetting``); never in git.

The setting (e.g. ``PORTAL_ASSETS_SIGNING_KEYS``) lists ``key_id:base64 private key`` pairs (the raw 32-byte seed,
base64 or base64url), separated by commas or spaces: the first signs, every one verifies, so a
new key put first gets its own ``key_id`` and the codes signed before keep verifying with the key
they name. Production must set it; the embedded mode makes one key once under ``var/`` (as the
identity secret) so that every process of the mesh signs alike.
"""
from __future__ import annotations

import base64
import binascii
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .settings import SettingsError, env, var_dir

KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")


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


class InvalidSigned(ValueError):
    """Not a text signed by one of the ring's keys: malformed, of an unknown key, or forged."""


def sign(key: SigningKey, payload: bytes) -> str:
    """``<payload>.<signature>``, both base64url without padding: the Ed25519 signature of exactly
    the payload's bytes (compact JSON naming its ``key_id``)."""
    return f"{b64url(payload)}.{b64url(key.private_key.sign(payload))}"


def verify(ring: KeyRing, text: str) -> dict:
    """The claims of a text ``sign`` made with one of the ring's keys, or ``InvalidSigned``."""
    try:
        encoded_payload, encoded_signature = text.split(".")
        payload, signature = b64url_decode(encoded_payload), b64url_decode(encoded_signature)
        claims = json.loads(payload)
    except (ValueError, TypeError):
        raise InvalidSigned("malformed") from None
    key = ring.get(claims.get("key_id")) if isinstance(claims, dict) else None
    if key is None:
        raise InvalidSigned("unknown key")
    try:
        key.public_key.verify(signature, payload)
    except InvalidSignature:
        raise InvalidSigned("bad signature") from None
    return claims


def parse_keys(text: str, setting: str = "the signing keys") -> KeyRing:
    """The ring a setting's value describes; ``SettingsError`` naming what is wrong."""
    keys: list[SigningKey] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        key_id, sep, encoded = part.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise SettingsError(f"{setting}: each key is key_id:base64 (key_id of letters, digits, - or _)")
        try:
            seed = b64url_decode(encoded.replace("+", "-").replace("/", "_").rstrip("="))
        except (binascii.Error, ValueError):
            raise SettingsError(f"{setting}: the key {key_id!r} is not base64") from None
        if len(seed) != 32:
            raise SettingsError(f"{setting}: the key {key_id!r} is not a raw 32-byte Ed25519 private key")
        if any(key.key_id == key_id for key in keys):
            raise SettingsError(f"{setting}: the key_id {key_id!r} is given twice")
        keys.append(SigningKey(key_id, Ed25519PrivateKey.from_private_bytes(seed)))
    if not keys:
        raise SettingsError(f"{setting} holds no key")
    return KeyRing(tuple(keys))


def new_key_text(key_id: str) -> str:
    """A fresh ``key_id:base64url`` pair, for the setting (``python -m portalkit.signing_keys <key_id>``)."""
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat
    seed = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return f"{key_id}:{b64url(seed)}"


@dataclass(frozen=True)
class KeySetting:
    """One service's keys: the setting naming them and, in the embedded mode, the file under
    ``var/`` holding the one key made once for every process of the mesh."""

    setting: str
    embedded_file: str

    def parse(self, text: str) -> KeyRing:
        return parse_keys(text, self.setting)

    def _embedded_text(self) -> str:
        path = var_dir() / self.embedded_file
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(new_key_text("embedded-1"))
        return path.read_text().strip()

    def load(self) -> KeyRing:
        """The ring of the settings (read at each app's start: see ``ring``)."""
        text = env(self.setting)
        if text:
            return self.parse(text)
        if env("PORTAL_ENV", "development") == "production":
            raise SettingsError(f"{self.setting} must be set in production")
        return self.parse(self._embedded_text())

    def ring(self) -> KeyRing:
        """The ring for the current environment, parsed once per value of the setting."""
        return _cached(self, env(self.setting), str(var_dir()))


@lru_cache(maxsize=16)
def _cached(keys: KeySetting, text: str | None, var: str) -> KeyRing:
    return keys.load()


if __name__ == "__main__":  # pragma: no cover - an operator's tool
    import sys
    print(new_key_text(sys.argv[1] if len(sys.argv) > 1 else "key-1"))

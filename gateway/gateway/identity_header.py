"""The signed identity header the gateway adds to every forwarded call, reused while fresh.

Signing is the one per-request cost that depends only on who calls: a token is kept for a third
of its lifetime, keyed by the whole Identity, so any change of who or what (a new entitlement,
another client address, a new session revision) signs anew.
"""
from __future__ import annotations

import time

from portalkit.signed_identity import Identity, sign

_LIMIT = 10_000


class IdentitySigner:
    def __init__(self, secret: str, ttl: int):
        self.secret, self.ttl = secret, ttl
        # Reused while it still has at least two thirds of its life (less a second for the
        # whole-second ``iat`` and ``exp``) when it reaches the service.
        self.reuse_for = max(0.0, (ttl - 2) / 3)
        self._tokens: dict[Identity, tuple[str, float]] = {}

    def header(self, identity: Identity) -> str:
        now = time.monotonic()
        kept = self._tokens.get(identity)
        if kept is not None and kept[1] > now:
            return kept[0]
        token = sign(identity, self.secret, self.ttl)
        if len(self._tokens) >= _LIMIT:
            self._tokens.clear()
        self._tokens[identity] = (token, now + self.reuse_for)
        return token

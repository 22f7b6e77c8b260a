"""Throttling of the calls that try a secret or send a mail: sign-in, forgotten password,
activation and reset, access requests, per client address and per account (the e-mail, or the
link's token).

Counts live in the ``limits`` library's storage: Redis in production, so that every gateway
process shares them; process memory in the embedded default. A refusal is 429
``too_many_requests`` with ``Retry-After``, through the API and on the pages alike.
"""
from __future__ import annotations

import hashlib
import logging
import math
import re
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from portalkit.errors import error_body
from portalkit.settings import SettingsError

from . import metrics
from .upstream import Upstream

log = logging.getLogger(__name__)

SIGN_IN, FORGOT, ACTIVATION, RESET = "sign_in", "password_forgot", "activation", "password_reset"
# Each access request mails a company's administrators (or the operators): every one counts.
ACCESS_REQUEST = "access_request"
COUNTS_EVERY_ATTEMPT = frozenset({FORGOT, ACCESS_REQUEST})
# Identity's routes behind each action (its own paths; the API's are /api + these).
_ACTIVATION_PATH = re.compile(r"/auth/activation/([^/]+)\Z")
_RESET_PATH = re.compile(r"/auth/password/reset/([^/]+)\Z")
# The declarative portal's password links: a reset's limits, per address and per link.
_DECLARATIVE_PASSWORD_PATH = re.compile(r"/auth/declarative/password/(?!forgot\Z)([^/]+)\Z")


@dataclass(frozen=True)
class Attempt:
    """One call of a throttled action: who tries (the address) and on what (the account)."""

    action: str
    address: str
    account: str | None


def attempt_of(method: str, path: str, body, address: str | None) -> Attempt | None:
    """The throttled attempt a call to identity's ``path`` makes, or None when it is not one.

    ``body`` is the decoded JSON body (anything else counts as no account: the per-address
    limit still holds).
    """
    fields = body if isinstance(body, dict) else {}
    address = address or "unknown"
    if method == "POST" and path == "/auth/login":
        return Attempt(SIGN_IN, address, _normalised_email(fields.get("email")))
    if method == "POST" and path == "/auth/password/forgot":
        return Attempt(FORGOT, address, _normalised_email(fields.get("email")))
    if method == "POST" and path == "/auth/access-requests":
        return Attempt(ACCESS_REQUEST, address, _normalised_email(fields.get("email")))
    # The declarative sign-in counts with the portal's, its accounts apart (a login is no e-mail).
    if method == "POST" and path == "/auth/declarative/login":
        return Attempt(SIGN_IN, address, _declarant_login(fields.get("login")))
    if method == "POST" and path == "/auth/declarative/password/forgot":
        return Attempt(FORGOT, address, _declarant_login(fields.get("login")))
    if method == "POST" and path == "/auth/password/reset":
        token = fields.get("token")
        return Attempt(RESET, address, token if isinstance(token, str) and token else None)
    if method in ("GET", "POST"):
        for action, pattern in ((ACTIVATION, _ACTIVATION_PATH), (RESET, _RESET_PATH),
                                (RESET, _DECLARATIVE_PASSWORD_PATH)):
            match = pattern.match(path)
            if match:
                return Attempt(action, address, match.group(1))
    return None


def _declarant_login(value) -> str | None:
    login = _normalised_email(value)
    return f"declarant:{login}" if login else None


def _normalised_email(value) -> str | None:
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


class TooManyTries(TooManyRequests):
    """Refused by the throttle: the pages render it as their 429 page, the API in the error shape."""

    def __init__(self, retry_after: int):
        super().__init__(f"Too many attempts: try again in {retry_after} seconds.", retry_after=retry_after)
        self.seconds = retry_after

    def body(self) -> dict:
        return error_body("too_many_requests", self.description)


@dataclass(frozen=True)
class Limits:
    """The limits of one action, per address and per account; an attempt counts when refused
    (a wrong password, an unknown token), or always for the forgotten-password mail."""

    per_address: tuple[RateLimitItem, ...]
    per_account: tuple[RateLimitItem, ...]
    counts_every_attempt: bool = False


def parse_limits(text: str | None) -> tuple[RateLimitItem, ...]:
    """``10/minute``, ``5 per hour;20 per day``…; empty or ``none`` for no limit."""
    if not text or text.strip().lower() in ("none", "off"):
        return ()
    try:
        return tuple(parse_many(text))
    except ValueError:
        raise SettingsError(f"{text!r} is not a rate limit (e.g. 10/minute or 5/hour;20/day)") from None


class Throttle:
    """The counts of every throttled action, in one ``limits`` storage."""

    @classmethod
    def from_settings(cls, settings) -> "Throttle":
        limits = {action: Limits(parse_limits(address), parse_limits(account),
                                 counts_every_attempt=action in COUNTS_EVERY_ATTEMPT)
                  for action, (account, address) in settings.rate_limits.items()}
        return cls(settings.rate_limit_storage_url, limits, settings.rate_limits_enabled)

    def __init__(self, storage_url: str, limits: dict[str, Limits], enabled: bool = True):
        self.enabled, self.limits = enabled, limits
        options = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5} if storage_url.startswith(
            ("redis://", "rediss://")) else {}
        self.storage = storage_from_string(storage_url, **options)
        self.limiter = MovingWindowRateLimiter(self.storage)

    def _keys(self, attempt: Attempt):
        limits = self.limits.get(attempt.action)
        if not self.enabled or limits is None:
            return
        for item in limits.per_address:
            yield item, (attempt.action, "address", attempt.address)
        if attempt.account is not None:
            # Hashed: the store holds no e-mail address nor live token in clear.
            account = hashlib.sha256(attempt.account.encode("utf-8", "replace")).hexdigest()[:32]
            for item in limits.per_account:
                yield item, (attempt.action, "account", account)

    def check(self, attempt: Attempt) -> None:
        """Raise ``TooManyTries`` when one of the attempt's limits is used up."""
        wait = 0
        try:
            for item, identifiers in self._keys(attempt):
                if not self.limiter.test(item, *identifiers):
                    reset_at = self.limiter.get_window_stats(item, *identifiers).reset_time
                    wait = max(wait, math.ceil(reset_at - time.time()), 1)
        except Exception:  # noqa: BLE001 - a store that does not answer must not stop sign-in
            log.warning("the throttle's store did not answer; %s let through", attempt.action, exc_info=True)
            return
        if wait:
            metrics.throttled(attempt.action)
            raise TooManyTries(wait)

    def record(self, attempt: Attempt, status: int) -> None:
        """Count the attempt if its answer makes it count (see ``Limits``)."""
        limits = self.limits.get(attempt.action)
        if limits is None or not (limits.counts_every_attempt or 400 <= status < 500):
            return
        try:
            for item, identifiers in self._keys(attempt):
                self.limiter.hit(item, *identifiers)
        except Exception:  # noqa: BLE001
            log.warning("the throttle's store did not answer; %s not counted", attempt.action, exc_info=True)


class ThrottledUpstream(Upstream):
    """The gateway's connections, whose calls to identity pass the throttle first.

    Every page and the sign-in reach identity through ``call``: one hook throttles them all.
    """

    throttle: Throttle | None = None

    def call(self, service, method, path, identity, json=None, **kwargs):
        throttle = self.throttle
        service_path = path[4:] if path.startswith("/api/") else path
        attempt = (attempt_of(method, service_path.partition("?")[0], json,
                              identity.client_ip if identity is not None else None)
                   if throttle is not None and service == "identity" else None)
        if attempt is None:
            return super().call(service, method, path, identity, json=json, **kwargs)
        throttle.check(attempt)
        status, answer = super().call(service, method, path, identity, json=json, **kwargs)
        throttle.record(attempt, status)
        return status, answer

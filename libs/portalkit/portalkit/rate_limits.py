"""Counting calls per key against limits, for the services (the gateway's throttle counts sign-ins
the same way): the ``limits`` library's moving window in a storage named by URL — Redis in
production (``PORTAL_RATE_LIMIT_STORAGE_URL``, the one the gateway's throttle uses), so that every
process and replica shares the counts; process memory in the embedded default (one worker each).

A refusal is ``PortalError`` 429 ``too_many_requests`` with ``Retry-After``.
"""
from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from .errors import PortalError
from .settings import SettingsError, env

log = logging.getLogger(__name__)
STORAGE_SETTING = "PORTAL_RATE_LIMIT_STORAGE_URL"


def parse_limits(text: str | None) -> tuple[RateLimitItem, ...]:
    """``10/minute``, ``5 per hour;20 per day``…; empty or ``none`` for no limit."""
    if not text or text.strip().lower() in ("none", "off"):
        return ()
    try:
        return tuple(parse_many(text))
    except ValueError:
        raise SettingsError(f"{text!r} is not a rate limit (e.g. 10/minute or 5/hour;20/day)") from None


def too_many(retry_after: int, message: str | None = None) -> PortalError:
    return PortalError(429, "too_many_requests",
                       message or f"Too many requests: try again in {retry_after} seconds.",
                       headers={"Retry-After": str(retry_after)})


class RateLimit:
    """One action's limits, counted per key (a company, an address…) in one storage."""

    def __init__(self, action: str, limits: tuple[RateLimitItem, ...], storage_url: str | None = None):
        storage_url = storage_url or env(STORAGE_SETTING, "memory://")
        options = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5} if storage_url.startswith(
            ("redis://", "rediss://")) else {}
        self.action, self.limits = action, limits
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_url, **options))

    def hit(self, key: str, cost: int = 1) -> None:
        """Count one call of ``key`` (``cost`` units), or raise 429 when a limit is used up: a refused
        call is not counted. A storage that does not answer lets the call through (logged)."""
        wait = 0
        try:
            for item in self.limits:
                if not self.limiter.test(item, self.action, key, cost=cost):
                    reset_at = self.limiter.get_window_stats(item, self.action, key).reset_time
                    wait = max(wait, math.ceil(reset_at - time.time()), 1)
            if not wait:
                for item in self.limits:
                    self.limiter.hit(item, self.action, key, cost=cost)
        except Exception:  # noqa: BLE001 - an outage of the counts must not stop the portal
            log.warning("the rate limits' store did not answer; %s let through", self.action, exc_info=True)
            return
        if wait:
            raise too_many(wait)

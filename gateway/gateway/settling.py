"""Holding an answer until what it did is in force everywhere (``portalkit.consistency``).

A service names the events its request committed; before the gateway passes the answer on, every
consumer keeping a read-model of them has handled them, and the events that handling wrote in
turn. The gateway's own read-model is looked up in its database; a service's is asked with one
``POST /_portal/handled`` that waits on the service's side. Bounded: past the timeout the answer
goes on, and the delay is logged — a consumer that is down must not take the portal with it.
"""
from __future__ import annotations

import logging
import time
from collections import defaultdict

from portalkit.consistency import HANDLED_PATH, parse_events, readers_of, wait_until_handled
from portalkit.db import Database

from . import metrics

log = logging.getLogger(__name__)
GATEWAY = "gateway"
# A service holds one of its threads while it waits on its side: ask again rather than hold long.
ASK_AT_MOST = 0.25  # seconds


class Settler:
    """Waits, bounded by ``timeout`` seconds, until named events and their consequences are applied."""

    def __init__(self, upstream, database: Database, timeout: float = 5.0):
        self.upstream, self.database, self.timeout = upstream, database, timeout

    def settle(self, header_value: str | None) -> bool:
        """Wait for the events of an ``X-Portal-Events`` header; False if time ran out first."""
        events = parse_events(header_value)
        if not events:
            return True
        deadline = time.monotonic() + self.timeout
        pending: dict[str, set[str]] = defaultdict(set)
        seen: set[str] = set()

        def expect(new_events) -> None:
            for event_id, routing_key in new_events:
                if event_id not in seen:
                    seen.add(event_id)
                    for reader in readers_of(routing_key):
                        pending[reader].add(event_id)

        expect(events)
        while pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                log.warning("answer passed on before %s applied its events: %s",
                            ", ".join(sorted(pending)), header_value)
                metrics.settle_timed_out()
                return False
            reader = next(iter(pending))
            handled, caused = self._handled_by(reader, sorted(pending[reader]), remaining)
            pending[reader] -= handled
            if not pending[reader]:
                del pending[reader]
            expect(caused)
        return True

    def _handled_by(self, reader: str, event_ids: list[str], remaining: float):
        if reader == GATEWAY:
            # The gateway's consumer writes nothing on the bus: no consequences to follow.
            return wait_until_handled(self.database, event_ids, remaining, with_caused=False)
        status, body = self.upstream.call(reader, "POST", HANDLED_PATH, None, json={
            "events": event_ids, "wait_ms": max(1, int(min(remaining, ASK_AT_MOST) * 1000))})
        if status != 200 or not isinstance(body, dict):
            log.warning("%s could not tell which events it handled (%s)", reader, status)
            time.sleep(min(0.05, max(remaining, 0)))  # an outage: look again, until the deadline
            return set(), []
        caused = [(item["id"], item["routing_key"]) for item in body.get("caused", [])
                  if isinstance(item, dict) and "id" in item and "routing_key" in item]
        return set(body.get("handled", [])), caused

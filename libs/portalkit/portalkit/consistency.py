"""An answer means it is done: the events a request committed, named in its answer, and who must apply them.

A service's answer carries ``X-Portal-Events`` (the ids and routing keys of the events its request
committed). The gateway holds the answer, bounded, until every consumer that keeps a read-model of
those events has handled them — and the events their handling wrote in turn (``causation_id``) —
asking each service through ``POST /_portal/handled``. Consumers whose effects no later request
reads (mails, the bus's probes) are not waited for. This module is the whole mechanism's shared
part: the services' side (collect, name, answer ``handled``) and the rules the gateway follows.
"""
from __future__ import annotations

import re
import time
from functools import lru_cache

from flask import Flask, g, jsonify, request, Response
from sqlalchemy import bindparam, text

from . import outbox, topology
from .db import Database
from .errors import PortalError

HEADER = "X-Portal-Events"
HANDLED_PATH = "/_portal/handled"
# Readers whose work a client's next request never reads: a mail may follow its answer.
NOT_AWAITED = frozenset({"notifications", "probe"})
# Beyond this many events one answer names none and logs it: a request that writes thousands
# of events (a bulk job) runs in a worker, where nobody is waiting for it.
MAX_NAMED = 200
MAX_WAIT_MS = 10_000
POLL_SECONDS = 0.005


def format_events(events: list[tuple[str, str]]) -> str:
    return ",".join(f"{routing_key}={event_id}" for event_id, routing_key in events)


def parse_events(value: str | None) -> list[tuple[str, str]]:
    """``(event_id, routing_key)`` pairs of a header value; malformed parts are ignored."""
    events = []
    for part in (value or "").split(","):
        routing_key, _, event_id = part.strip().partition("=")
        if routing_key and event_id:
            events.append((event_id, routing_key))
    return events


@lru_cache(maxsize=256)
def _topic(pattern: str) -> re.Pattern:
    # AMQP topic rules: "*" is one word, "#" any words (the bindings use "<producer>.#").
    words = (r"[^.]+" if word == "*" else r".*" if word == "#" else re.escape(word)
             for word in pattern.split("."))
    return re.compile(r"\.".join(words) + r"\Z")


@lru_cache(maxsize=512)
def readers_of(routing_key: str) -> tuple[str, ...]:
    """The consumers that keep a read-model of events with this routing key."""
    return tuple(consumer for consumer in topology.SUBSCRIPTIONS
                 if consumer not in NOT_AWAITED
                 and any(_topic(pattern).match(routing_key)
                         for pattern in topology.patterns_of(consumer)))


_HANDLED = text("SELECT event_id FROM handled_events WHERE event_id IN :ids").bindparams(
    bindparam("ids", expanding=True))
_CAUSED = text("SELECT event_id, routing_key FROM outbox WHERE causation_id IN :ids").bindparams(
    bindparam("ids", expanding=True))


def handled_among(database: Database, event_ids: list[str], with_caused: bool = True
                  ) -> tuple[set[str], list[tuple[str, str]]]:
    """Which of ``event_ids`` this database has handled, and the events their handling wrote."""
    if not event_ids:
        return set(), []
    with database.reader.connect() as connection:
        handled = {row[0] for row in connection.execute(_HANDLED, {"ids": list(event_ids)})}
        caused = []
        if handled and with_caused:
            caused = [(row[0], row[1]) for row in connection.execute(_CAUSED, {"ids": list(handled)})]
    return handled, caused


def wait_until_handled(database: Database, event_ids: list[str], wait_seconds: float,
                       with_caused: bool = True) -> tuple[set[str], list[tuple[str, str]]]:
    """``handled_among``, looked at again every few milliseconds until all are handled or time is up."""
    deadline = time.monotonic() + wait_seconds
    wanted = set(event_ids)
    while True:
        handled, caused = handled_among(database, list(wanted), with_caused)
        if handled >= wanted or time.monotonic() >= deadline:
            return handled, caused
        time.sleep(POLL_SECONDS)


def install(app: Flask, database_of) -> None:
    """Name each request's committed events in its answer; answer the gateway's ``handled`` asks."""

    @app.before_request
    def _collect():
        g.portal_written = outbox.collect_written()

    @app.after_request
    def _name(response: Response):
        written = g.pop("portal_written", None)
        outbox.stop_collecting()
        if written:
            if len(written) <= MAX_NAMED:
                response.headers[HEADER] = format_events(written)
            else:
                app.logger.warning("%s %s wrote %d events: its answer does not wait for them",
                                   request.method, request.path, len(written))
        return response

    @app.route(HANDLED_PATH, methods=["POST"])
    def _handled():
        """Tell which of the given events this service has handled, waiting up to ``wait_ms``."""
        body = request.get_json(silent=True)
        events = body.get("events") if isinstance(body, dict) else None
        wait_ms = body.get("wait_ms", 0) if isinstance(body, dict) else 0
        if not (isinstance(events, list) and all(isinstance(e, str) and 0 < len(e) <= 64 for e in events)
                and len(events) <= 1000 and isinstance(wait_ms, int) and 0 <= wait_ms <= MAX_WAIT_MS):
            raise PortalError(400, "invalid_input", "Send {events: [ids], wait_ms: 0..10000}.")
        handled, caused = wait_until_handled(database_of(), events, wait_ms / 1000)
        return jsonify(handled=sorted(handled),
                       caused=[{"id": event_id, "routing_key": key} for event_id, key in caused])

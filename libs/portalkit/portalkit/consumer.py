"""The idempotent consumer: handle each event once, whatever the broker redelivers.

A handler runs in one database transaction together with the insert of the event's id into
``handled_events``; the message is acked only after that commit. A redelivered event finds its
id and changes nothing. A handler that keeps failing is retried with a growing delay through
the consumer's own retry binding, then parked in the dead-letter queue. On RabbitMQ the delay is
waited out in the broker (``topology.retry_wait_queue``), so one failing event never holds up
the others behind it.
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from kombu import Connection, Producer
from kombu.mixins import ConsumerMixin
from marshmallow import ValidationError
from sqlalchemy import String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from . import correlation, metrics, topology
from .db import Database, UTCDateTime, utcnow
from .events import CONTRACTS, Event, UnknownEvent, load_event
from .outbox import CAUSATION

log = logging.getLogger(__name__)

Handler = Callable[[Session, Event], None]
RETRIES_HEADER = "x-portal-retries"


class HandledEventMixin:
    """Ids of the events a service has handled; ``class HandledEvent(HandledEventMixin, Base)``."""

    __tablename__ = "handled_events"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(100))
    handled_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class EventConsumer(ConsumerMixin):
    """Consumes ``<consumer>.events`` and dispatches by routing key to ``handlers``."""

    def __init__(self, connection: Connection, consumer: str, database: Database,
                 handled_model: type, handlers: dict[str, Handler], max_retries: int = 5,
                 retry_delay: float = 0.5, prefetch_count: int = 20):
        self.connection, self.consumer, self.database = connection, consumer, database
        self.handled_model, self.handlers = handled_model, handlers
        self.max_retries, self.retry_delay, self.prefetch_count = max_retries, retry_delay, prefetch_count

    def get_consumers(self, Consumer, channel):
        queue = topology.event_queue(self.consumer, topology.uses_quorum_queues(self.connection))
        return [Consumer(queues=[queue], callbacks=[self.on_message],
                         accept=["json"], prefetch_count=self.prefetch_count)]

    def on_connection_revived(self):
        topology.declare(self.connection)

    def on_message(self, body, message) -> None:
        try:
            event = load_event(body)
        except (ValidationError, UnknownEvent, KeyError, TypeError) as error:
            log.error("unreadable event %r: %s", body, error)
            self._dead_letter(body, message, f"unreadable: {error}")
            return
        with self._following(event):
            self._dispatch(event, body, message)

    @staticmethod
    def _following(event: Event):
        """Bind the event for its handling: every log line names it, every event written carries
        its correlation id on."""
        return correlation.handling(event.correlation_id, event.id, event.routing_key)

    def _dispatch(self, event: Event, body: dict, message) -> None:
        handler = self.handlers.get(event.routing_key)
        if handler is None:
            message.ack()
            return
        try:
            self._observed_handle(event, handler)
        except Exception as error:  # noqa: BLE001 - every failure is retried, then parked
            log.exception("handler of %s %s failed", event.routing_key, event.id)
            self._retry(body, message, error)
            return
        message.ack()

    def _observed_handle(self, event: Event, handler: Handler) -> None:
        # The metrics' hook: every attempt timed, a duplicate counted (``handle`` counts the rest).
        started = time.perf_counter()
        try:
            handled = self.handle(event, handler)
        finally:
            metrics.event_handling_took(self.consumer, event.type, time.perf_counter() - started)
        if not handled:
            metrics.event_outcome(self.consumer, event.type, metrics.DUPLICATE)

    def handle(self, event: Event, handler: Handler) -> bool:
        """Run ``handler`` once for ``event``; return False if it had been handled already."""
        try:
            with self.database.transaction() as session:
                if session.get(self.handled_model, event.id) is not None:
                    log.info("%s %s already handled", event.routing_key, event.id)
                    return False
                # The events this handler writes name the event that caused them (outbox.py).
                session.info[CAUSATION] = event.id
                handler(session, event)
                session.add(self.handled_model(event_id=event.id, event_type=event.type))
                # Counted once the row is in, before the commit makes it visible: whoever sees
                # the event handled (the gateway's settling) then sees it counted too.
                session.flush()
                metrics.event_outcome(self.consumer, event.type, metrics.HANDLED)
        except IntegrityError:
            # Another worker of the same service handled it concurrently and committed first.
            with self.database.sessions() as session:
                if session.get(self.handled_model, event.id) is not None:
                    return False
            raise
        log.info("handled %s %s", event.routing_key, event.id)
        return True

    def _retry(self, body: dict, message, error: Exception) -> None:
        retries = int((message.headers or {}).get(RETRIES_HEADER, 0)) + 1
        if retries > self.max_retries:
            self._dead_letter(body, message, repr(error))
            return
        metrics.event_outcome(self.consumer, _event_type(body), metrics.RETRIED)
        delay = min(self.retry_delay * 2 ** (retries - 1), 30)
        if topology.waits_on_broker(self.connection):
            # The copy waits in the broker; this consumer goes on with the next events at once.
            self._publish(message, body, topology.RETRY_WAIT, {RETRIES_HEADER: retries},
                          routing_key=topology.retry_wait_queue_name(self.consumer, retries), expiration=delay)
        else:
            time.sleep(delay)  # the embedded transports cannot hold a message for a time
            self._publish(message, body, topology.RETRY, {RETRIES_HEADER: retries})
        message.ack()

    def _dead_letter(self, body, message, reason: str) -> None:
        metrics.event_outcome(self.consumer, _event_type(body), metrics.DEAD_LETTERED)
        self._publish(message, body, topology.DEAD_LETTER, {"x-portal-reason": reason[:500]})
        message.ack()

    def _publish(self, message, body, exchange, headers, routing_key: str | None = None, **options) -> None:
        # On the consuming channel: the copy is published before the original is acked, so a
        # crash in between duplicates the event (which handling absorbs) instead of losing it.
        producer = Producer(message.channel, exchange=exchange)
        producer.publish(body, routing_key=routing_key or self.consumer, serializer="json", delivery_mode=2,
                         headers=headers, **options)


def _event_type(body) -> str:
    """The type an envelope names, if the portal knows it (a label never takes arbitrary text)."""
    named = body.get("type") if isinstance(body, dict) else None
    return named if isinstance(named, str) and named in CONTRACTS else "unknown"

"""The transactional outbox: events are written beside the change they describe, then relayed.

``Outbox.add`` inserts the event in the caller's transaction, so the change and its event
commit or vanish together. The ``Relay`` (in the service's worker process) publishes what is
committed, with publisher confirms and persistent delivery, and marks it sent. On PostgreSQL a
``NOTIFY`` in the same transaction wakes the relay at commit; SQLite is polled briefly.
"""
from __future__ import annotations

import contextvars
import json
import logging
import sqlite3
import threading
import time

import uuid

from kombu import Connection, Producer
from sqlalchemy import Index, Integer, String, Text, event, insert, select, text
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from . import correlation, metrics, topology
from .db import Database, UTCDateTime, utcnow
from .events import _jsonable, new_envelope, refuse_unless_valid

log = logging.getLogger(__name__)


class OutboxMixin:
    """Columns of a service's outbox table; a service declares ``class OutboxMessage(OutboxMixin, Base)``."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    routing_key: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    published_at = mapped_column(UTCDateTime(), nullable=True)
    # The event whose handling wrote this one (None for a request's or a job's own events): the
    # gateway follows these links to hold an answer until everything it caused is applied.
    causation_id: Mapped[str | None] = mapped_column(String(36), nullable=True)

    @declared_attr.directive
    def __table_args__(cls):
        return (Index("ix_outbox_unpublished", "published_at", "id"),
                Index("ix_outbox_causation", "causation_id"))


def notify_channel(producer: str) -> str:
    return f"portal_outbox_{producer}"


class Outbox:
    """Where a service's use cases record the events they cause."""

    def __init__(self, producer: str, model: type):
        self.producer, self.model = producer, model

    def add(self, session: Session, event_type: str, data: dict, correlation_id: str | None = None) -> dict:
        """Record ``event_type``; its correlation id is the request's or handled event's by default."""
        envelope = new_envelope(event_type, data, correlation_id or correlation.current())
        routing_key = f"{envelope['producer']}.{event_type}"
        session.add(self.model(event_id=envelope["id"], body=json.dumps(envelope),
                               routing_key=routing_key, causation_id=session.info.get(CAUSATION)))
        self._wake_relay_at_commit(session)
        _remember_written(session, [(envelope["id"], routing_key)])
        return envelope

    def add_many(self, session: Session, event_type: str, items: list[dict]) -> None:
        """``add`` for a batch (an import's thousands of users): one check, one INSERT."""
        if not items:
            return
        items = [_jsonable(item) for item in items]
        refuse_unless_valid(event_type, items, many=True)
        template = new_envelope(event_type, items[0], correlation.current())
        rows = []
        routing_key = f"{template['producer']}.{event_type}"
        causation_id = session.info.get(CAUSATION)
        for data in items:
            envelope = {**template, "id": str(uuid.uuid4()), "data": data}
            rows.append({"event_id": envelope["id"], "body": json.dumps(envelope),
                         "routing_key": routing_key, "causation_id": causation_id})
        session.execute(insert(self.model), rows)
        self._wake_relay_at_commit(session)
        _remember_written(session, [(row["event_id"], routing_key) for row in rows])

    def _wake_relay_at_commit(self, session: Session) -> None:
        session.info.setdefault(_CHANNELS, set()).add(notify_channel(self.producer))


_CHANNELS = "portal.outbox_channels"
# session.info keys: the event being handled (set by the consumer) and the events written in the
# open transaction.
CAUSATION = "portal.causation_id"
_PENDING = "portal.events_pending"
# The events committed while a request runs, whatever session wrote them (``collect_written``).
_written: contextvars.ContextVar[list | None] = contextvars.ContextVar("portal_written", default=None)


def _remember_written(session: Session, events: list[tuple[str, str]]) -> None:
    session.info.setdefault(_PENDING, []).extend(events)


def collect_written() -> list[tuple[str, str]]:
    """Start collecting the ``(event_id, routing_key)`` of every event committed in this context.

    Returns the list, filled at each commit; a web request starts it and names the events in its
    answer, so that the gateway can hold the answer until their readers have applied them.
    """
    collected: list[tuple[str, str]] = []
    _written.set(collected)
    return collected


def stop_collecting() -> None:
    _written.set(None)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    collected = _written.get()
    if pending and collected is not None:
        collected.extend(pending)


@event.listens_for(Session, "before_commit")
def _notify_relays(session: Session) -> None:
    # One NOTIFY per transaction, sent last: PostgreSQL delivers it at commit only, so a relay
    # never wakes for a rollback, and adding events never forces a flush per row.
    channels = session.info.pop(_CHANNELS, None)
    if channels and session.get_bind().dialect.name == "postgresql":
        for channel in channels:
            session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel})


@event.listens_for(Session, "after_rollback")
def _forget_channels(session: Session) -> None:
    session.info.pop(_CHANNELS, None)
    session.info.pop(_PENDING, None)


class Relay:
    """Publishes committed outbox rows, oldest first, and marks them sent."""

    def __init__(self, database: Database, outbox: Outbox, connection: Connection,
                 polling_interval: float = 0.02, batch_size: int = 200):
        self.database, self.outbox, self.connection = database, outbox, connection
        self.polling_interval, self.batch_size = polling_interval, batch_size
        self.stopping = threading.Event()

    def relay_once(self) -> int:
        """Publish one batch; return how many rows were sent."""
        model = self.outbox.model
        with self.database.transaction() as session:
            query = (select(model).where(model.published_at.is_(None))
                     .order_by(model.id).limit(self.batch_size))
            if self.database.is_postgresql:
                # Several relays (scaled containers) share the table without sending twice.
                query = query.with_for_update(skip_locked=True)
            rows = session.scalars(query).all()
            if not rows:
                return 0
            producer = Producer(self.connection.default_channel, exchange=topology.EVENTS)
            publish = self.connection.ensure(producer, producer.publish, max_retries=3)
            for row in rows:
                publish(json.loads(row.body), routing_key=row.routing_key, serializer="json",
                        delivery_mode=2, message_id=row.event_id)
            metrics.events_published(self.outbox.producer, [row.routing_key for row in rows])
            sent_at = utcnow()
            for row in rows:
                row.published_at = sent_at
            return len(rows)

    def run(self) -> None:
        """Relay until ``stop()``; survive broker and database outages."""
        waiter = None
        declared = False
        while not self.stopping.is_set():
            try:
                if not declared:
                    # Queues and bindings must exist before the first publish, or the broker
                    # drops the message for want of a queue: never rely on consumers being up.
                    topology.declare(self.connection)
                    declared = True
                if waiter is None:
                    waiter = _Waiter(self.database, notify_channel(self.outbox.producer),
                                     self.polling_interval, self.outbox.model.__tablename__)
                while self.relay_once() == self.batch_size:
                    pass
                waiter.wait(self.stopping)
            except Exception:  # noqa: BLE001 - the relay must outlive any outage
                log.exception("outbox relay failed; retrying")
                if waiter is not None:
                    waiter.close()
                    waiter = None
                self._reset_connection()
                declared = False
                self.stopping.wait(1.0)
        if waiter is not None:
            waiter.close()

    def _reset_connection(self) -> None:
        try:
            self.connection.close()
        except Exception:  # noqa: BLE001
            pass
        self.connection = self.connection.clone()

    def stop(self) -> None:
        self.stopping.set()


class _Waiter:
    """Sleeps until the next outbox commit may have happened.

    PostgreSQL: LISTEN, woken by the NOTIFY of the commit. SQLite: every polling interval, one
    indexed look for an unpublished row, on a plain sqlite3 connection of its own — microseconds,
    where a relay pass through the ORM (with its write lock) costs a few hundred, and six idle
    relays doing that 50 times a second took a third of a core. (File times and ``PRAGMA
    data_version`` were tried: the first tick too coarsely, the second only moves on a read.)
    It returns at least once a second.
    """

    SAFETY_NET = 1.0

    def __init__(self, database: Database, channel: str, polling_interval: float, table: str = "outbox"):
        self.polling_interval = polling_interval
        self.listener = None
        self.watch = None
        self.pending = f'SELECT 1 FROM "{table}" WHERE published_at IS NULL LIMIT 1'

        if database.is_postgresql:
            import psycopg
            url = database.engine.url.set(drivername="postgresql")
            self.listener = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
            self.listener.execute(f'LISTEN "{channel}"')
        elif database.engine.url.database not in (None, "", ":memory:"):
            self.watch = sqlite3.connect(database.engine.url.database, isolation_level=None,
                                         check_same_thread=False)

    def _work_waiting(self) -> bool:
        return self.watch.execute(self.pending).fetchone() is not None

    def wait(self, stopping: threading.Event) -> None:
        if self.listener is not None:
            for _ in self.listener.notifies(timeout=self.SAFETY_NET, stop_after=1):
                pass
            return
        if self.watch is None:
            stopping.wait(self.polling_interval)
            return
        deadline = time.monotonic() + self.SAFETY_NET
        while not stopping.wait(self.polling_interval):
            if self._work_waiting() or time.monotonic() >= deadline:
                return

    def close(self) -> None:
        for connection in (self.listener, self.watch):
            if connection is not None:
                try:
                    connection.close()
                except Exception:  # noqa: BLE001 - already broken
                    pass

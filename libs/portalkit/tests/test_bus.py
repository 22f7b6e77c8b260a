"""The outbox relay and the idempotent consumer on the embedded transport (real files, real SQLite)."""
import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portalkit import broker, topology
from portalkit.consumer import EventConsumer, HandledEventMixin
from portalkit.db import Database
from portalkit.events import load_event, new_envelope
from portalkit.outbox import Outbox, OutboxMixin, Relay
from portalkit.settings import Settings


class Base(DeclarativeBase):
    pass


class OutboxMessage(OutboxMixin, Base):
    pass


class HandledEvent(HandledEventMixin, Base):
    pass


class Effect(Base):
    __tablename__ = "effects"
    id: Mapped[int] = mapped_column(primary_key=True)
    probe_id: Mapped[str]


@pytest.fixture
def database(var_dir):
    db = Database(f"sqlite:///{var_dir}/bus.db")
    Base.metadata.create_all(db.engine)
    return db


@pytest.fixture
def settings():
    return Settings.load("probe")


def _probe(i):
    return {"probe_id": str(i), "sent_at": time.time()}


def test_outbox_row_vanishes_with_a_rolled_back_transaction(database):
    outbox = Outbox("probe", OutboxMessage)
    with pytest.raises(RuntimeError), database.transaction() as session:
        outbox.add(session, "ProbeSent", _probe(1))
        raise RuntimeError("the change failed")
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_relay_and_consumer_handle_each_event_once(database, settings):
    with broker.connect(settings) as connection:
        topology.declare(connection)
    outbox = Outbox("probe", OutboxMessage)

    def record(session, event):
        session.add(Effect(probe_id=event.data["probe_id"]))

    relay = Relay(database, outbox, broker.connect(settings), polling_interval=0.01)
    consumer = EventConsumer(broker.connect(settings), "probe", database, HandledEvent,
                             {"probe.ProbeSent": record})
    threads = [threading.Thread(target=relay.run, daemon=True), threading.Thread(target=consumer.run, daemon=True)]
    for thread in threads:
        thread.start()
    try:
        for i in range(30):
            with database.transaction() as session:
                outbox.add(session, "ProbeSent", _probe(i))
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with database.sessions() as session:
                if session.scalar(select(func.count()).select_from(Effect)) >= 30:
                    break
            time.sleep(0.05)
        # A redelivery of an event already handled changes nothing.
        with database.sessions() as session:
            body = session.scalars(select(OutboxMessage.body)).first()
        import json
        assert consumer.handle(load_event(json.loads(body)), record) is False
    finally:
        relay.stop()
        consumer.should_stop = True
        for thread in threads:
            thread.join(timeout=5)
    with database.sessions() as session:
        counts = session.execute(select(Effect.probe_id, func.count()).group_by(Effect.probe_id)).all()
        assert len(counts) == 30 and all(n == 1 for _, n in counts)
        assert session.scalar(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.published_at.is_(None))) == 0


def test_a_failing_handler_is_retried_then_dead_lettered(database, settings, monkeypatch):
    with broker.connect(settings) as connection:
        topology.declare(connection)
        producer = connection.Producer(exchange=topology.EVENTS)
        producer.publish(new_envelope("ProbeSent", _probe("bad")), routing_key="probe.ProbeSent",
                         serializer="json")
    attempts = []

    def explode(session, event):
        attempts.append(event.id)
        raise ValueError("cannot handle")

    consumer = EventConsumer(broker.connect(settings), "probe", database, HandledEvent,
                             {"probe.ProbeSent": explode}, max_retries=2, retry_delay=0.01)
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while len(attempts) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    consumer.should_stop = True
    thread.join(timeout=5)
    assert len(attempts) == 3  # the first try and two retries
    with broker.connect(settings) as connection:
        parked = connection.SimpleQueue(topology.dead_letter_queue("probe"))
        message = parked.get(timeout=5)
        assert message.payload["data"]["probe_id"] == "bad"
        assert "cannot handle" in message.headers["x-portal-reason"]
        message.ack()
        parked.close()


def test_embedded_transport_never_shows_half_written_messages(settings, var_dir):
    with broker.connect(settings) as connection:
        topology.declare(connection)
        channel = connection.default_channel
        channel._put("probe.events", {"body": "x" * 100_000})
        staging = list((var_dir / "bus" / "staging").iterdir())
        assert staging == []  # moved into place whole
        assert channel._size("probe.events") == 1


def _bind_one(queue_name):
    from kombu import Queue, binding
    with broker.connect(Settings.load("probe")) as connection:
        Queue(queue_name, bindings=[binding(topology.EVENTS, routing_key=queue_name)])(connection.default_channel).declare()


def test_concurrent_declarations_keep_every_binding(settings):
    import multiprocessing
    names = [f"racer-{i}" for i in range(12)]
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_bind_one, args=(name,)) for name in names]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    with broker.connect(settings) as connection:
        table = connection.default_channel.get_table(topology.EVENTS.name)
    assert {row.queue for row in table} >= set(names)

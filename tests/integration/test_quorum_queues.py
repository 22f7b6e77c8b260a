"""On a real RabbitMQ: the consumers' queues are quorum queues, a failing handler is retried then
parked as on classic queues, a message that keeps crashing its consumer is parked by the broker,
and ``portal-quorum-migrate`` turns an installation's classic queues into quorum ones, messages kept.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest
from kombu import Producer
from sqlalchemy.orm import DeclarativeBase

from meshtools import wait_until
from portalkit import broker, topology
from portalkit.consumer import EventConsumer, HandledEventMixin
from portalkit.db import Database
from portalkit.events import new_envelope
from portalkit.quorum_migration import migrate
from portalkit.settings import Settings


class Base(DeclarativeBase):
    pass


class HandledEvent(HandledEventMixin, Base):
    pass


@pytest.fixture
def rabbitmq(bus_broker):
    """The shared broker, with none of the portal's queues yet."""
    bus_broker.reset_queues()
    return bus_broker


def _settings(monkeypatch, rabbitmq, tmp_path, quorum=True) -> Settings:
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PORTAL_BROKER_URL", rabbitmq.broker_url)
    monkeypatch.setenv("PORTAL_BUS_QUORUM_QUEUES", "1" if quorum else "0")
    return Settings.load("probe")


def _queues(connection) -> dict[str, tuple[str, int]]:
    """Each queue's type and ready messages, as the broker tells (a passive declare tells no type;
    the count of a quorum queue lags a few seconds behind)."""
    vhost = connection.virtual_host
    listed = subprocess.run(["rabbitmqctl", "list_queues", "-q", "--no-table-headers", "-p", vhost,
                             "name", "type", "messages_ready"], capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("rabbitmqctl cannot list this broker's queues")
    rows = (line.split("\t") for line in listed.stdout.splitlines() if line.strip())
    return {name: (kind, int(ready)) for name, kind, ready in rows}


def _publish_probe(connection, probe_id: str) -> None:
    producer = Producer(connection.default_channel, exchange=topology.EVENTS)
    producer.publish(new_envelope("ProbeSent", {"probe_id": probe_id, "sent_at": time.time()}),
                     routing_key="probe.ProbeSent", serializer="json", delivery_mode=2)


def _purge_probe_queues(connection) -> None:
    channel = connection.channel()
    for name in ("probe.events", "probe.dead-letter"):
        channel.queue_purge(name)
    channel.close()


def test_every_queue_is_a_quorum_queue(monkeypatch, rabbitmq, tmp_path):
    with broker.connect(_settings(monkeypatch, rabbitmq, tmp_path)) as connection:
        topology.declare(connection)
        queues = _queues(connection)
    expected = {queue.name for queue in topology.all_queues() + topology.retry_wait_queues()}
    assert {name: kind for name, (kind, _) in queues.items() if name in expected} == dict.fromkeys(expected, "quorum")


def test_a_failing_event_waits_in_the_broker_while_the_next_ones_are_handled(monkeypatch, rabbitmq, tmp_path):
    settings = _settings(monkeypatch, rabbitmq, tmp_path)
    database = Database(f"sqlite:///{tmp_path}/handled.db")
    Base.metadata.create_all(database.engine)
    with broker.connect(settings) as connection:
        topology.declare(connection)
        _purge_probe_queues(connection)
        for probe_id in ("bad", "good-1", "good-2"):
            _publish_probe(connection, probe_id)
    handled: list[tuple[str, float]] = []
    fails = {"bad": 1}

    def handle(session, event):
        handled.append((event.data["probe_id"], time.monotonic()))
        if fails.get(event.data["probe_id"], 0) > 0:
            fails[event.data["probe_id"]] -= 1
            raise ValueError("not yet")

    delay = 3.0
    consumer = EventConsumer(broker.connect(settings), "probe", database, HandledEvent,
                             {"probe.ProbeSent": handle}, max_retries=2, retry_delay=delay)
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    try:
        wait_until(lambda: [p for p, _ in handled].count("bad") == 2, timeout=20, message="the retry of bad")
    finally:
        consumer.should_stop = True
        thread.join(timeout=5)
    order = [probe_id for probe_id, _ in handled]
    assert order == ["bad", "good-1", "good-2", "bad"]
    failed_at = handled[0][1]
    # The next events did not wait out the failed one's delay, and the retry came after it.
    assert handled[2][1] - failed_at < delay / 2
    assert handled[3][1] - failed_at >= delay * 0.9


def test_a_failing_handler_is_retried_then_parked_on_quorum_queues(monkeypatch, rabbitmq, tmp_path):
    settings = _settings(monkeypatch, rabbitmq, tmp_path)
    database = Database(f"sqlite:///{tmp_path}/handled.db")
    Base.metadata.create_all(database.engine)
    with broker.connect(settings) as connection:
        topology.declare(connection)
        _purge_probe_queues(connection)
        _publish_probe(connection, "bad")
    attempts = []

    def explode(session, event):
        attempts.append(event.id)
        raise ValueError("cannot handle")

    consumer = EventConsumer(broker.connect(settings), "probe", database, HandledEvent,
                             {"probe.ProbeSent": explode}, max_retries=2, retry_delay=0.01)
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    try:
        with broker.connect(settings) as connection:
            parked = connection.SimpleQueue(topology.dead_letter_queue("probe", quorum=True))
            message = parked.get(timeout=15)  # what is waited for is what is read
            assert message.payload["data"]["probe_id"] == "bad"
            assert "cannot handle" in message.headers["x-portal-reason"]
            message.ack()
            parked.close()
    finally:
        consumer.should_stop = True
        thread.join(timeout=5)
    assert len(attempts) == 3  # the first try and two retries, each a copy acked in turn


def test_a_message_that_keeps_crashing_its_consumer_is_parked_by_the_broker(monkeypatch, rabbitmq, tmp_path):
    with broker.connect(_settings(monkeypatch, rabbitmq, tmp_path)) as connection:
        topology.declare(connection)
        _purge_probe_queues(connection)
        _publish_probe(connection, "poison")
        # A consumer that dies while handling it: taken, never acked, its channel gone.
        for _ in range(topology.DELIVERY_LIMIT + 1):
            channel = connection.channel()
            taken = wait_until(lambda: channel.basic_get("probe.events", no_ack=False), timeout=10,
                               interval=0.02, message="the poison message redelivered")
            assert json.loads(taken.body)["data"]["probe_id"] == "poison"
            channel.close()
        channel = connection.channel()
        parked = wait_until(lambda: channel.basic_get("probe.dead-letter", no_ack=False), timeout=10,
                            message="the poison message parked")
        assert json.loads(parked.body)["data"]["probe_id"] == "poison"
        channel.basic_ack(parked.delivery_tag)
        assert channel.basic_get("probe.events", no_ack=False) is None
        channel.close()


def test_classic_queues_of_an_installation_become_quorum_queues_with_their_messages(monkeypatch, rabbitmq, tmp_path):
    if rabbitmq.vhost is None and not rabbitmq.containers:
        pytest.skip("needs a broker of its own or a throwaway virtual host")
    # The installation as it was: classic queues holding undelivered events.
    with broker.connect(_settings(monkeypatch, rabbitmq, tmp_path, quorum=False)) as classic:
        channel = classic.channel()
        for queue in topology.all_queues():
            channel.queue_delete(queue.name)
        channel.close()
        topology.declare(classic)
        for n in range(5):
            _publish_probe(classic, f"waiting-{n}")
        assert _queues(classic)["probe.events"] == ("classic", 5)
        # A retry waiting out its delay in a classic wait queue.
        Producer(classic.default_channel, exchange=topology.RETRY_WAIT).publish(
            new_envelope("ProbeSent", {"probe_id": "retrying", "sent_at": time.time()}), serializer="json",
            routing_key=topology.retry_wait_queue_name("probe", 1), delivery_mode=2, expiration=120)

    settings = _settings(monkeypatch, rabbitmq, tmp_path, quorum=True)
    with broker.connect(settings) as connection:
        with pytest.raises(Exception, match="PRECONDITION_FAILED|inequivalent"):
            topology.declare(connection)  # what a worker of the new version meets without migrating
    command = subprocess.run([sys.executable, "-m", "portalkit.quorum_migration"], capture_output=True, text=True,
                             env={**os.environ, "PORTAL_BROKER_URL": settings.broker_url,
                                  "PORTAL_BUS_QUORUM_QUEUES": "1", "PORTAL_VAR_DIR": str(tmp_path)})
    assert command.returncode == 0, command.stderr
    assert "probe.events" in command.stderr and "5 messages kept" in command.stderr
    assert "1 waiting retries put back" in command.stderr

    with broker.connect(settings) as connection:
        topology.declare(connection)  # the new version's workers start
        queues = _queues(connection)
        assert {name: kind for name, (kind, _) in queues.items()
                if not name.endswith(".migrating")} == {q.name: "quorum" for q in topology.all_queues()
                                                        + topology.retry_wait_queues()}
        assert not any(name.endswith(".migrating") for name in queues)
        _publish_probe(connection, "after")  # still bound
        channel = connection.channel()
        kept = [json.loads(m.body)["data"]["probe_id"] for m in iter(lambda: channel.basic_get("probe.events", no_ack=True), None)]
        channel.close()
        # The waiting retry is handled now rather than lost with its delay.
        assert kept == [f"waiting-{n}" for n in range(5)] + ["retrying", "after"]
        assert set(migrate(connection).values()) == {"in place"}  # a second run changes nothing

"""The queues every process declares: quorum queues on RabbitMQ unless told not to, classic on the
embedded bus, and the same choice in every connection of a process (ConsumerMixin clones them)."""
import pytest
from kombu.transport.base import StdChannel

from portalkit import broker, topology
from portalkit.settings import Settings

AMQP = "amqp://guest:guest@127.0.0.1:5672//"


class _RecordingChannel(StdChannel):
    """A channel that records the queues declared on it (no broker)."""

    def __init__(self):
        self.queues = {}
        self.connection = type("Connection", (), {"client": None})()

    def queue_declare(self, queue, arguments=None, **kwargs):
        self.queues[queue] = arguments

    def exchange_declare(self, *args, **kwargs):
        pass

    def queue_bind(self, *args, **kwargs):
        pass


@pytest.fixture
def declared(monkeypatch):
    """The name and arguments of every queue ``topology.declare`` declares."""
    channel = _RecordingChannel()
    monkeypatch.setattr(broker.Connection, "default_channel", property(lambda self: channel))
    return channel.queues


def test_rabbitmq_queues_are_quorum_queues_by_default(monkeypatch, declared):
    monkeypatch.setenv("PORTAL_BROKER_URL", AMQP)
    connection = broker.connect(Settings.load("probe"))
    assert topology.uses_quorum_queues(connection)
    assert topology.uses_quorum_queues(connection.clone())
    topology.declare(connection)
    assert set(declared) == {name for consumer in topology.SUBSCRIPTIONS
                             for name in (f"{consumer}.events", f"{consumer}.dead-letter",
                                          *(f"{consumer}.retry-wait.{n}" for n in range(1, topology.RETRY_WAIT_LEVELS + 1)))}
    for name, arguments in declared.items():
        assert arguments["x-queue-type"] == "quorum", name
    catalog = declared["catalog.events"]
    # A message that kept crashing its consumer is parked, by the broker, where failing ones go.
    assert catalog["x-delivery-limit"] == topology.DELIVERY_LIMIT
    assert catalog["x-dead-letter-exchange"] == topology.DEAD_LETTER.name
    assert catalog["x-dead-letter-routing-key"] == "catalog"
    assert catalog["x-dead-letter-strategy"] == "at-least-once" and catalog["x-overflow"] == "reject-publish"
    assert "x-dead-letter-exchange" not in declared["catalog.dead-letter"]
    # A retry waits out its delay in the broker, then goes back to its consumer's queue only.
    waiting = declared["catalog.retry-wait.3"]
    assert waiting["x-dead-letter-exchange"] == topology.RETRY.name and waiting["x-dead-letter-routing-key"] == "catalog"
    assert waiting["x-dead-letter-strategy"] == "at-least-once"


def test_the_setting_off_keeps_classic_queues(monkeypatch, declared):
    monkeypatch.setenv("PORTAL_BROKER_URL", AMQP)
    monkeypatch.setenv("PORTAL_BUS_QUORUM_QUEUES", "0")
    connection = broker.connect(Settings.load("probe"))
    assert not topology.uses_quorum_queues(connection)
    topology.declare(connection)
    assert declared and not any(arguments.get("x-queue-type") for arguments in declared.values() if arguments)
    assert declared["catalog.retry-wait.1"] == {"x-dead-letter-exchange": topology.RETRY.name,
                                                "x-dead-letter-routing-key": "catalog"}


def test_the_embedded_bus_has_no_queue_type(declared):
    connection = broker.connect(Settings.load("probe"))
    assert not topology.uses_quorum_queues(connection)
    topology.declare(connection)
    assert declared and not any(declared.values())
    assert not any(".retry-wait." in name for name in declared)  # its consumers wait themselves


def test_the_consumer_consumes_the_queue_as_declared(monkeypatch):
    from portalkit.consumer import EventConsumer
    monkeypatch.setenv("PORTAL_BROKER_URL", AMQP)
    connection = broker.connect(Settings.load("probe"))
    consumer = EventConsumer(connection, "probe", database=None, handled_model=None, handlers={})
    captured = {}
    consumer.get_consumers(lambda queues, **kw: captured.setdefault("queues", queues), channel=None)
    assert captured["queues"][0].queue_arguments == topology.event_queue_arguments("probe", True)

"""Turn an installation's classic queues into quorum queues, their messages kept: ``portal-quorum-migrate``.

RabbitMQ cannot change the type of a queue in place (redeclaring it answers PRECONDITION_FAILED).
Each queue of the topology that does not match its declaration is emptied into a holding quorum
queue bound like it, deleted, declared anew, and refilled. Run it with every worker stopped.
"""
from __future__ import annotations

import logging
import sys

from amqp.exceptions import PreconditionFailed
from kombu import Connection, Queue

from . import broker, logs, topology
from .settings import Settings

log = logging.getLogger(__name__)
HOLDING_SUFFIX = ".migrating"


class ConsumersStillRunning(RuntimeError):
    """A queue to migrate still has consumers: the workers must be stopped first."""


def _bindings(queue: Queue) -> list[tuple[str, str]]:
    if queue.bindings:
        return [(b.exchange.name, b.routing_key) for b in queue.bindings]
    return [(queue.exchange.name, queue.routing_key)]


def _declares(connection: Connection, name: str, arguments: dict | None) -> bool:
    """Declare ``name`` with ``arguments``; False if it exists with others (another type)."""
    channel = connection.channel()
    try:
        channel.queue_declare(name, durable=True, auto_delete=False, arguments=arguments)
    except PreconditionFailed:
        return False  # the broker closed the channel
    channel.close()
    return True


def _exists(connection: Connection, name: str):
    channel = connection.channel()
    try:
        return channel.queue_declare(name, passive=True)
    except Exception:  # noqa: BLE001 - NOT_FOUND closes the channel
        return None
    finally:
        if channel.is_open:
            channel.close()


def _bind(connection: Connection, name: str, bindings, bound: bool) -> None:
    channel = connection.channel()
    for exchange, key in bindings:
        (channel.queue_bind if bound else channel.queue_unbind)(name, exchange, routing_key=key)
    channel.close()


def _move_then_delete(connection: Connection, source: str, target: str) -> int:
    """Move every message of the unbound ``source`` into ``target`` (confirmed before acked), then
    delete it. Quorum queues refuse ``if_empty`` deletes: it is checked that nothing is left."""
    moved = 0
    channel = connection.channel()
    while True:
        while (message := channel.basic_get(source, no_ack=False)) is not None:
            # The connection confirms publishes: the copy is on the broker before the original goes.
            channel.basic_publish(message, exchange="", routing_key=target)
            channel.basic_ack(message.delivery_tag)
            moved += 1
        if channel.queue_declare(source, passive=True).message_count == 0:
            channel.queue_delete(source)
            channel.close()
            return moved


def migrate_queue(connection: Connection, queue: Queue) -> str:
    """Bring one queue to its declaration; tell what was done."""
    arguments = queue.queue_arguments
    holding = queue.name + HOLDING_SUFFIX
    bindings = _bindings(queue)
    if _declares(connection, queue.name, arguments):
        if _exists(connection, holding) is None:
            return "in place"
        # An interrupted run: the queue was declared anew, its messages wait in the holding one.
        _bind(connection, queue.name, bindings, bound=True)
        _bind(connection, holding, bindings, bound=False)
        return f"resumed, {_move_then_delete(connection, holding, queue.name)} messages put back"
    state = _exists(connection, queue.name)
    if state is not None and state.consumer_count:
        raise ConsumersStillRunning(f"{queue.name} has {state.consumer_count} consumers: stop the workers first")
    # Bound before the old queue is unbound: an event published meanwhile lands in both (its
    # consumer handles it once), never in neither.
    assert _declares(connection, holding, {"x-queue-type": "quorum"})
    _bind(connection, holding, bindings, bound=True)
    _bind(connection, queue.name, bindings, bound=False)
    moved = _move_then_delete(connection, queue.name, holding)
    assert _declares(connection, queue.name, arguments)
    _bind(connection, queue.name, bindings, bound=True)
    _bind(connection, holding, bindings, bound=False)
    _move_then_delete(connection, holding, queue.name)
    return f"redeclared, {moved} messages kept"


def migrate(connection: Connection) -> dict[str, str]:
    """Bring every queue of the portal to the declaration in force on ``connection``."""
    channel = connection.channel()
    for exchange in topology.EXCHANGES:
        exchange(channel).declare()
    channel.close()
    quorum = topology.uses_quorum_queues(connection)
    done = {queue.name: migrate_queue(connection, queue) for queue in topology.all_queues(quorum)}
    return done | {queue.name: migrate_wait_queue(connection, queue, consumer)
                   for consumer in topology.SUBSCRIPTIONS
                   for queue in (topology.retry_wait_queue(consumer, level, quorum)
                                 for level in range(1, topology.RETRY_WAIT_LEVELS + 1))}


def migrate_wait_queue(connection: Connection, queue: Queue, consumer: str) -> str:
    """Bring one retry wait queue to its declaration: what waits in it is retried now (put back in
    its consumer's queue, where its handling absorbs an early retry) rather than moved to a holding
    queue where its delay would run out with nowhere to go."""
    if _declares(connection, queue.name, queue.queue_arguments):
        return "in place"
    state = _exists(connection, queue.name)
    channel = connection.channel()
    moved = 0
    while (message := channel.basic_get(queue.name, no_ack=False)) is not None:
        message.properties.pop("expiration", None)
        channel.basic_publish(message, exchange=topology.RETRY.name, routing_key=consumer)
        channel.basic_ack(message.delivery_tag)
        moved += 1
    channel.queue_delete(queue.name)
    channel.close()
    assert state is not None and _declares(connection, queue.name, queue.queue_arguments)
    _bind(connection, queue.name, _bindings(queue), bound=True)
    return f"redeclared, {moved} waiting retries put back"


def main(argv: list[str] | None = None) -> int:
    logs.configure("bus", "quorum-migrate")
    settings = Settings.load("bus")
    if broker.is_embedded(settings):
        log.info("The embedded bus has no queue types: nothing to migrate.")
        return 0
    with broker.connect(settings) as connection:
        connection.ensure_connection(max_retries=3)
        try:
            done = migrate(connection)
        except ConsumersStillRunning as error:
            log.error("%s", error)
            return 1
    kind = "quorum" if settings.bus_quorum_queues else "classic"
    for name, what in done.items():
        log.info("%-32s %s (%s)", name, what, kind)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

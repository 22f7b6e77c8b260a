"""The bus's one topology: exchanges, each consumer's queue and its bindings.

Every process declares all of it before publishing or consuming: on the broker-less transport
an exchange a process has not declared is taken as ``direct`` and its messages silently dropped.
"""
from __future__ import annotations

from kombu import Connection, Exchange, Queue, binding

EVENTS = Exchange("portal.events", type="topic", durable=True)
# A consumer's own retries go back to its queue only, through this direct exchange.
RETRY = Exchange("portal.retry", type="direct", durable=True)
DEAD_LETTER = Exchange("portal.dead-letter", type="direct", durable=True)

# Which routing keys (``<producer>.<EventName>``) each consumer's queue receives: EVENTS.md.
SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    # identity lists each company's administrators and keeps the last one from being deleted.
    "identity": ("catalog.SubscriptionAccepted", "catalog.SubscriptionCancelled",
                 "catalog.SubscriptionExpired"),
    # The catalog knows users from their creation: an administrator subscribes them at once.
    "catalog": ("identity.CompanyRegistered", "identity.AssociateLinked", "identity.UserCreated",
                "identity.UserActivated", "identity.UserUpdated", "identity.UserDeleted",
                "assets.ContractActivated", "assets.ContractEnded"),
    "assets": ("identity.CompanyRegistered", "identity.AssociateLinked"),
    "knowledge": ("identity.CompanyRegistered", "identity.AssociateLinked"),
    "support": ("identity.CompanyRegistered", "identity.AssociateLinked", "identity.UserActivated",
                "identity.UserUpdated", "identity.UserDeleted"),
    "notifications": ("identity.#", "catalog.Subscription*", "assets.UpdateReleased",
                      "assets.SerializationChanged", "knowledge.#", "support.#"),
    "gateway": ("identity.CompanyRegistered", "identity.UserUpdated", "identity.UserDeleted",
                "identity.SessionsEnded", "catalog.SubscriptionAccepted",
                "catalog.SubscriptionCancelled", "catalog.SubscriptionExpired",
                "catalog.ServicePublished", "catalog.ServiceRetired"),
    # The bus's own delivery tests and latency benchmark listen here.
    "probe": ("probe.#",),
}


def _patterns(keys: tuple[str, ...]) -> tuple[str, ...]:
    # AMQP topics match whole words only: "catalog.Subscription*" is spelled out per event.
    from .events import PRODUCERS
    out: list[str] = []
    for key in keys:
        producer, _, name = key.partition(".")
        if name.endswith("*") and name != "*":
            out += [f"{producer}.{cls.__name__}" for cls in PRODUCERS[producer]
                    if cls.__name__.startswith(name[:-1])]
        else:
            out.append(key)
    return tuple(out)


def patterns_of(consumer: str) -> tuple[str, ...]:
    """The routing-key patterns ``consumer``'s queue is bound to."""
    return _patterns(SUBSCRIPTIONS[consumer])


def queue_name(consumer: str) -> str:
    return f"{consumer}.events"


def event_queue(consumer: str) -> Queue:
    bindings = [binding(EVENTS, routing_key=key) for key in _patterns(SUBSCRIPTIONS[consumer])]
    bindings.append(binding(RETRY, routing_key=consumer))
    return Queue(queue_name(consumer), bindings=bindings, durable=True)


def dead_letter_queue(consumer: str) -> Queue:
    return Queue(f"{consumer}.dead-letter", exchange=DEAD_LETTER, routing_key=consumer, durable=True)


def all_queues() -> list[Queue]:
    return [q for consumer in SUBSCRIPTIONS for q in (event_queue(consumer), dead_letter_queue(consumer))]


def declare(connection: Connection) -> None:
    """Declare every exchange, queue and binding of the portal (idempotent)."""
    channel = connection.default_channel
    for exchange in (EVENTS, RETRY, DEAD_LETTER):
        exchange(channel).declare()
    for queue in all_queues():
        queue(channel).declare()

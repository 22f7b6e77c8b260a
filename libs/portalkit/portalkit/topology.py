"""The bus's one topology: exchanges, each consumer's queue and its bindings.

Every process declares all of it before publishing or consuming: on the broker-less transport
an exchange a process has not declared is taken as ``direct`` and its messages silently dropped.
On RabbitMQ the queues are quorum queues (replicated across a cluster's nodes) unless told not to.
"""
from __future__ import annotations

from kombu import Connection, Exchange, Queue, binding

EVENTS = Exchange("portal.events", type="topic", durable=True)
# A consumer's own retries go back to its queue only, through this direct exchange.
RETRY = Exchange("portal.retry", type="direct", durable=True)
DEAD_LETTER = Exchange("portal.dead-letter", type="direct", durable=True)
# On RabbitMQ a retried event waits out its delay in a wait queue of its consumer, reached through
# this direct exchange, and the broker dead-letters it back through RETRY when its TTL runs out:
# the consumer goes on with the next events meanwhile instead of sleeping.
RETRY_WAIT = Exchange("portal.retry-wait", type="direct", durable=True)
EXCHANGES = (EVENTS, RETRY, DEAD_LETTER, RETRY_WAIT)
# One wait queue per attempt (the delay doubles each time): the messages of one queue all have the
# same TTL, so they expire in the order they wait (RabbitMQ expires a queue's messages from its head
# only). Attempts past the last level wait in the last one.
RETRY_WAIT_LEVELS = 8

# Which routing keys (``<producer>.<EventName>``) each consumer's queue receives (docs/events.md
# is written from this and the contracts: regenerate it when this changes).
SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    # identity lists each company's administrators and keeps the last one from being deleted.
    "identity": ("catalog.SubscriptionAccepted", "catalog.SubscriptionCancelled",
                 "catalog.SubscriptionExpired",
                 # Operators' contract and catalog decisions go to the company's administration trail.
                 "assets.ContractRecorded", "assets.ContractEndScheduled", "assets.ContractEnded",
                 "catalog.ServicePublished", "catalog.ServiceRetired",
                 # Every serialization and identifier change, in the company's trail too.
                 "assets.SerializationCodesIssued", "assets.IdentifierChangeRequested",
                 "assets.IdentifierChangeDecided",
                 # Operators' records of a company's holdings (recorded, changed, removed) too.
                 "assets.HoldingRecorded", "assets.HoldingRemoved",
                 # Operators' planning of a company's services, in its trail too.
                 "assets.InterventionPlanned", "assets.InterventionChanged", "assets.InterventionCancelled"),
    # The catalog knows users from their creation: an administrator subscribes them at once.
    "catalog": ("identity.CompanyRegistered", "identity.AssociateLinked", "identity.UserCreated",
                "identity.UserActivated", "identity.UserUpdated", "identity.UserDeleted",
                "assets.ContractActivated", "assets.ContractEnded", "identity.AssociateUnlinked"),
    "assets": ("identity.CompanyRegistered", "identity.AssociateLinked", "identity.AssociateUnlinked",
               # Users, by address and language: the requester of an identifier change is mailed.
               "identity.UserCreated", "identity.UserActivated", "identity.UserUpdated", "identity.UserDeleted"),
    # knowledge targets news and articles by the company's products; support offers them on a request.
    "knowledge": ("identity.CompanyRegistered", "identity.AssociateLinked", "identity.AssociateUnlinked",
                  "identity.UserDeleted",
                  "assets.ProductRecorded", "assets.HoldingRecorded", "assets.HoldingRemoved"),
    "support": ("identity.CompanyRegistered", "identity.AssociateLinked", "identity.AssociateUnlinked",
                "identity.UserActivated",
                "identity.UserUpdated", "identity.UserDeleted",
                "assets.ProductRecorded", "assets.HoldingRecorded", "assets.HoldingRemoved"),
    "notifications": ("identity.#", "catalog.Subscription*", "assets.UpdateReleased",
                      "assets.SerializationChanged", "assets.IdentifierChangeRequested",
                      "assets.IdentifierChangeDecided", "assets.DocumentPublished", "knowledge.#", "support.#",
                      # The recipient and the order's contact of a planned service are mailed.
                      "assets.Intervention*",
                      # Content targeted at products mails the holders in the companies holding them.
                      "assets.ProductRecorded", "assets.HoldingRecorded", "assets.HoldingRemoved",
                      # The declarant is mailed the receipt, the answers and the reminders; the
                      # supervisors a rejection.
                      "declarations.#"),
    # declarations checks a filing's declarant (NAD+DT) against the SIRENs of the depositor's
    # entities, and keeps the associates tree: a supervisor's subsidiaries, a rejection's group heads.
    "declarations": ("identity.CompanyRegistered", "identity.CompanyUpdated", "identity.AssociateLinked",
                     "identity.AssociateUnlinked"),
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


# broker.connect() names the queue type in the connection's transport options, which kombu
# keeps through the clones ConsumerMixin makes: every declaration of a process then agrees, and
# a queue declared once as quorum is never redeclared classic (RabbitMQ refuses either change).
QUEUE_TYPE_OPTION = "portal_queue_type"
# A message whose delivery this many times ended without an ack (the consumer crashed while
# handling it, each time) is parked in the dead-letter queue by RabbitMQ itself. Handler errors
# never count here: the consumer acks them and retries a copy (consumer.py). Deliberately a
# constant: RabbitMQ refuses a queue redeclared with another value (a policy may override it).
DELIVERY_LIMIT = 20


def queue_name(consumer: str) -> str:
    return f"{consumer}.events"


def dead_letter_queue_name(consumer: str) -> str:
    return f"{consumer}.dead-letter"


def uses_quorum_queues(connection: Connection) -> bool:
    return (connection.transport_options or {}).get(QUEUE_TYPE_OPTION) == "quorum"


def event_queue_arguments(consumer: str, quorum: bool) -> dict | None:
    if not quorum:
        return None
    return {"x-queue-type": "quorum", "x-delivery-limit": DELIVERY_LIMIT,
            "x-dead-letter-exchange": DEAD_LETTER.name, "x-dead-letter-routing-key": consumer,
            # Parked messages are moved under confirms, never dropped on the way; that strategy
            # needs the queue to refuse publishes when full instead of dropping its oldest.
            "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"}


def dead_letter_queue_arguments(quorum: bool) -> dict | None:
    return {"x-queue-type": "quorum"} if quorum else None


def event_queue(consumer: str, quorum: bool = False) -> Queue:
    bindings = [binding(EVENTS, routing_key=key) for key in _patterns(SUBSCRIPTIONS[consumer])]
    bindings.append(binding(RETRY, routing_key=consumer))
    return Queue(queue_name(consumer), bindings=bindings, durable=True,
                 queue_arguments=event_queue_arguments(consumer, quorum))


def dead_letter_queue(consumer: str, quorum: bool = False) -> Queue:
    return Queue(dead_letter_queue_name(consumer), exchange=DEAD_LETTER, routing_key=consumer,
                 durable=True, queue_arguments=dead_letter_queue_arguments(quorum))


def retry_wait_queue_name(consumer: str, attempt: int) -> str:
    return f"{consumer}.retry-wait.{min(max(attempt, 1), RETRY_WAIT_LEVELS)}"


def retry_wait_queue(consumer: str, attempt: int, quorum: bool = False) -> Queue:
    """Where ``consumer``'s ``attempt``-th retry of an event waits for its delay (RabbitMQ only)."""
    name = retry_wait_queue_name(consumer, attempt)
    arguments = {"x-dead-letter-exchange": RETRY.name, "x-dead-letter-routing-key": consumer}
    if quorum:
        arguments |= {"x-queue-type": "quorum", "x-dead-letter-strategy": "at-least-once",
                      "x-overflow": "reject-publish"}
    return Queue(name, exchange=RETRY_WAIT, routing_key=name, durable=True, queue_arguments=arguments)


def retry_wait_queues(quorum: bool = False) -> list[Queue]:
    return [retry_wait_queue(consumer, level, quorum) for consumer in SUBSCRIPTIONS
            for level in range(1, RETRY_WAIT_LEVELS + 1)]


def waits_on_broker(connection: Connection) -> bool:
    """True where the broker itself can hold a retry for its delay (message TTL and
    dead-lettering: RabbitMQ); the embedded transports have neither, their consumer sleeps."""
    return connection.transport.driver_type == "amqp"


def all_queues(quorum: bool = False) -> list[Queue]:
    """The queues consumers read (the wait queues, read by nobody, are ``retry_wait_queues``)."""
    return [q for consumer in SUBSCRIPTIONS
            for q in (event_queue(consumer, quorum), dead_letter_queue(consumer, quorum))]


def declare(connection: Connection) -> None:
    """Declare every exchange, queue and binding of the portal (idempotent)."""
    channel = connection.default_channel
    for exchange in EXCHANGES:
        exchange(channel).declare()
    quorum = uses_quorum_queues(connection)
    for queue in all_queues(quorum) + (retry_wait_queues(quorum) if waits_on_broker(connection) else []):
        queue(channel).declare()

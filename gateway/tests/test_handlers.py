from datetime import timedelta

import pytest

from portalkit.consumer import EventConsumer
from portalkit.db import Database, utcnow
from portalkit.events import load_event, new_envelope
from portalkit.settings import database_url

from gateway.handlers import HANDLERS
from gateway.models import CatalogService, Company, HandledEvent
from gateway.sessions import SessionStore


@pytest.fixture
def database(var_dir):
    return Database(database_url("gateway"))


@pytest.fixture
def consumer(database):
    return EventConsumer(connection=None, consumer="gateway", database=database,
                         handled_model=HandledEvent, handlers=HANDLERS)


@pytest.fixture
def store(database):
    return SessionStore(database, timedelta(minutes=60), timedelta(hours=12))


def deliver(consumer, event_type, data, occurred_at=None, envelope=None):
    """Hand one event to its handler the way the worker does; returns the envelope (to redeliver)."""
    envelope = envelope or new_envelope(event_type, data)
    if occurred_at is not None:
        envelope["occurred_at"] = occurred_at.isoformat()
    event = load_event(envelope)
    consumer.handle(event, HANDLERS[event.routing_key])
    return envelope


def subscription(subscription_id="s1", user_id="u1", code="request-service", scope="c1"):
    return {"subscription_id": subscription_id, "service_id": "svc-1", "service_code": code,
            "service_title": "Request service", "company_id": "c1", "scope_company_id": scope,
            "user_id": user_id, "email": "ann@acme.test", "language": "en"}


def user(user_id="u1", **changes):
    data = {"user_id": user_id, "email": "ann@acme.test", "first_name": "Ann", "last_name": "Lee",
            "language": "en", "company_id": "c1", "security_level": 2}
    data.update(changes)
    return data


def test_the_topology_brings_the_gateway_every_event_it_handles():
    from portalkit.topology import SUBSCRIPTIONS
    assert set(HANDLERS) <= set(SUBSCRIPTIONS["gateway"])


def test_an_accepted_subscription_is_an_entitlement_on_the_next_request(consumer, store):
    token, _ = store.open("u1", "c1", False, "en", "Ann Lee", "Acme")
    assert store.resolve(token).entitlements == frozenset()
    deliver(consumer, "SubscriptionAccepted", subscription(scope="c9"))
    assert store.resolve(token).entitlements == frozenset({"request-service@c9"})


@pytest.mark.parametrize("ending", ["SubscriptionCancelled", "SubscriptionExpired"])
def test_an_ended_subscription_is_no_entitlement_on_the_next_request(consumer, store, ending):
    token, _ = store.open("u1", "c1", False, "en", "Ann Lee", "Acme")
    deliver(consumer, "SubscriptionAccepted", subscription("s1"))
    deliver(consumer, "SubscriptionAccepted", subscription("s2", code="invoice-viewing-service"))
    assert len(store.resolve(token).entitlements) == 2
    deliver(consumer, ending, subscription("s1"))
    assert store.resolve(token).entitlements == frozenset({"invoice-viewing-service@c1"})


def test_a_redelivered_event_changes_nothing_twice(consumer, store, database):
    token, _ = store.open("u1", "c1", False, "en", "Ann Lee", "Acme")
    accepted = deliver(consumer, "SubscriptionAccepted", subscription())
    deliver(consumer, "SubscriptionCancelled", subscription())
    assert consumer.handle(load_event(accepted), HANDLERS["catalog.SubscriptionAccepted"]) is False
    assert store.resolve(token).entitlements == frozenset()


def test_an_acceptance_delivered_after_its_cancellation_stays_void(consumer, store):
    token, _ = store.open("u1", "c1", False, "en", "Ann Lee", "Acme")
    now = utcnow()
    deliver(consumer, "SubscriptionCancelled", subscription(), occurred_at=now)
    deliver(consumer, "SubscriptionAccepted", subscription(), occurred_at=now - timedelta(seconds=5))
    assert store.resolve(token).entitlements == frozenset()
    # ...whereas a later acceptance of the same subscription grants it again.
    deliver(consumer, "SubscriptionAccepted", subscription(), occurred_at=now + timedelta(seconds=5))
    assert store.resolve(token).entitlements == frozenset({"request-service@c1"})


def test_a_deleted_user_loses_sessions_and_entitlements(consumer, store):
    token, _ = store.open("u1", "c1", False, "en", "Ann Lee", "Acme")
    other, _ = store.open("u2", "c1", False, "en", "Bob", "Acme")
    deliver(consumer, "SubscriptionAccepted", subscription())
    deliver(consumer, "UserDeleted", {k: v for k, v in user().items() if k != "security_level"})
    assert store.resolve(token) is None
    assert store.resolve(other) is not None
    again, _ = store.open("u1", "c1", False, "en", "Ann Lee", "Acme")
    assert store.resolve(again).entitlements == frozenset()


def test_sessions_ended_by_identity_spare_the_one_named(consumer, store):
    kept, _ = store.open("u1", "c1", False, "en", "Ann Lee", "Acme")
    ended, _ = store.open("u1", "c1", False, "en", "Ann Lee", "Acme")
    kept_id = store.resolve(kept).session_id
    deliver(consumer, "SessionsEnded", {"user_id": "u1", "except_session_id": kept_id})
    assert store.resolve(kept) is not None and store.resolve(ended) is None
    deliver(consumer, "SessionsEnded", {"user_id": "u1"})
    assert store.resolve(kept) is None


def test_an_updated_user_shows_their_new_language_and_name_at_once(consumer, store):
    token, _ = store.open("u1", "c1", False, "en", "Ann Lee", "Acme")
    store.resolve(token)
    deliver(consumer, "UserUpdated", user(language="fr", first_name="Anne", last_name="Leroy"))
    current = store.resolve(token)
    assert (current.language, current.display_name) == ("fr", "Anne Leroy")


def test_registered_companies_are_kept(consumer, database):
    data = {"company_id": "c1", "number": "C-001", "name": "Acme"}
    envelope = deliver(consumer, "CompanyRegistered", data)
    deliver(consumer, "CompanyRegistered", data, envelope=envelope)
    deliver(consumer, "CompanyRegistered", {**data, "name": "Acme Ltd"})
    with database.sessions() as session:
        companies = session.query(Company).all()
    assert [(c.id, c.number, c.name) for c in companies] == [("c1", "C-001", "Acme Ltd")]


def test_published_and_retired_services_are_kept_for_the_menus(consumer, database):
    deliver(consumer, "ServicePublished", {"service_id": "svc-1", "code": "request-service",
                                           "family": "Support", "title_en": "Request service",
                                           "title_fr": "Service de demandes"})
    deliver(consumer, "ServiceRetired", {"service_id": "svc-1", "code": "request-service"})
    with database.sessions() as session:
        service = session.get(CatalogService, "request-service")
    assert (service.title_fr, service.retired) == ("Service de demandes", True)

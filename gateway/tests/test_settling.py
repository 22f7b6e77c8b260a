"""The gateway holds an answer until the read-models of its events, and of their consequences, have them."""
import time

import pytest
from sqlalchemy import insert

from portalkit.consistency import format_events
from portalkit.db import Database

from gateway.models import Base, HandledEvent
from gateway.settling import Settler


class FakeServices:
    """Stands for the services' ``POST /_portal/handled``: what each has handled, what that caused."""

    def __init__(self, handled: dict[str, set], caused: dict[str, list] | None = None):
        self.handled, self.caused, self.asked = handled, caused or {}, []

    def call(self, service, method, path, identity, json=None):
        self.asked.append((service, tuple(json["events"])))
        done = [event_id for event_id in json["events"] if event_id in self.handled.get(service, set())]
        return 200, {"handled": done, "caused": [
            {"id": event_id, "routing_key": key} for handled in done for event_id, key in self.caused.get(handled, [])]}


@pytest.fixture
def database(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/gateway.db")
    Base.metadata.create_all(db.engine)
    return db


def _handled_by_gateway(database, event_id):
    with database.engine.begin() as connection:
        connection.execute(insert(HandledEvent.__table__), {"event_id": event_id, "event_type": "x",
                                                            "handled_at": _now()})


def _now():
    from portalkit.db import utcnow
    return utcnow()


def test_it_follows_an_activation_to_the_right_it_grants(database):
    # identity.UserActivated → catalog grants (catalog.SubscriptionAccepted) → identity and the gateway;
    # assets and support keep the user too.
    services = FakeServices({"catalog": {"a"}, "support": {"a"}, "assets": {"a"}, "identity": {"g"}},
                            caused={"a": [("g", "catalog.SubscriptionAccepted")]})
    _handled_by_gateway(database, "g")
    assert Settler(services, database, timeout=2).settle(format_events([("a", "identity.UserActivated")]))
    assert ("identity", ("g",)) in services.asked and ("catalog", ("a",)) in services.asked


def test_it_waits_for_its_own_read_model(database):
    services = FakeServices({})
    settler = Settler(services, database, timeout=0.2)
    started = time.monotonic()
    assert not settler.settle(format_events([("s", "identity.SessionsEnded")]))
    assert time.monotonic() - started >= 0.2  # bounded: the answer goes on after the timeout
    _handled_by_gateway(database, "s")
    assert settler.settle(format_events([("s", "identity.SessionsEnded")]))
    assert services.asked == []  # the gateway's own consumer is read in its database


def test_events_only_a_mail_follows_are_not_waited_for(database):
    services = FakeServices({})
    assert Settler(services, database, timeout=0.5).settle(
        format_events([("p", "identity.PasswordResetRequested")]))
    assert services.asked == []


def test_a_service_that_cannot_answer_delays_the_answer_boundedly(database):
    class Down:
        def call(self, *args, **kwargs):
            return 503, {"error": {"code": "service_unavailable"}}

    started = time.monotonic()
    assert not Settler(Down(), database, timeout=0.3).settle(format_events([("u", "identity.UserActivated")]))
    assert 0.3 <= time.monotonic() - started < 1.5

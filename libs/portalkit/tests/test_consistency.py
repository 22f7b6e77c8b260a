"""A service's side of "an answer means it is done": naming committed events, telling which are handled."""
import pytest
from sqlalchemy.orm import DeclarativeBase

from portalkit import consistency
from portalkit.consumer import EventConsumer, HandledEventMixin
from portalkit.db import Database
from portalkit.events import load_event, new_envelope
from portalkit.outbox import Outbox, OutboxMixin
from portalkit.testing import signed_headers
from portalkit.web import Blueprint, create_service_app, db_session


class Base(DeclarativeBase):
    pass


class OutboxMessage(OutboxMixin, Base):
    pass


class HandledEvent(HandledEventMixin, Base):
    pass


OUTBOX = Outbox("identity", OutboxMessage)
COMPANY = {"company_id": "c1", "number": "1", "name": "Acme"}


def _app(database):
    blp = Blueprint("things", __name__, url_prefix="/identity")

    @blp.route("/things", methods=["POST"])
    def write():
        session = db_session()
        OUTBOX.add(session, "CompanyRegistered", COMPANY)
        session.commit()
        return {"ok": True}, 201

    @blp.route("/failing", methods=["POST"])
    def write_then_fail():
        OUTBOX.add(db_session(), "CompanyRegistered", COMPANY)
        db_session().rollback()
        return {"ok": False}, 409

    @blp.route("/quiet", methods=["POST"])
    def quiet():
        return {"ok": True}

    return create_service_app("identity", [blp], database=database).test_client()


@pytest.fixture
def database(var_dir):
    db = Database(f"sqlite:///{var_dir}/svc.db")
    Base.metadata.create_all(db.engine)
    return db


def test_an_answer_names_the_events_its_request_committed(database):
    client = _app(database)
    answer = client.post("/identity/things", headers=signed_headers())
    events = consistency.parse_events(answer.headers[consistency.HEADER])
    assert [key for _, key in events] == ["identity.CompanyRegistered"]
    assert client.post("/identity/failing", headers=signed_headers()).headers.get(consistency.HEADER) is None
    assert client.post("/identity/quiet", headers=signed_headers()).headers.get(consistency.HEADER) is None


def test_handled_tells_what_was_handled_and_what_its_handling_wrote(database):
    client = _app(database)
    envelope = new_envelope("CompanyRegistered", COMPANY)
    ask = {"events": [envelope["id"]], "wait_ms": 0}
    before = client.post(consistency.HANDLED_PATH, json=ask, headers=signed_headers()).get_json()
    assert before == {"handled": [], "caused": []}

    def handler(session, event):
        OUTBOX.add(session, "AssociateLinked", {"company_id": "c1", "associate_id": "c2"})

    consumer = EventConsumer(None, "identity", database, HandledEvent, {})
    consumer.handle(load_event(envelope), handler)
    after = client.post(consistency.HANDLED_PATH, json=ask, headers=signed_headers()).get_json()
    assert after["handled"] == [envelope["id"]]
    assert [item["routing_key"] for item in after["caused"]] == ["identity.AssociateLinked"]


def test_handled_is_only_for_the_gateway_and_checks_its_input(database):
    client = _app(database)
    assert client.post(consistency.HANDLED_PATH, json={"events": []}).status_code == 401
    for bad in ({"events": "x"}, {"events": [1]}, {"events": [], "wait_ms": 60_000}, []):
        answer = client.post(consistency.HANDLED_PATH, json=bad, headers=signed_headers())
        assert answer.status_code == 400
        assert answer.get_json()["error"]["code"] == "invalid_input"


def test_readers_are_the_read_models_not_the_mailer():
    assert "catalog" in consistency.readers_of("identity.UserActivated")
    assert "notifications" not in consistency.readers_of("identity.UserActivated")
    assert set(consistency.readers_of("catalog.SubscriptionAccepted")) >= {"gateway", "identity"}
    assert consistency.readers_of("identity.SessionsEnded") == ("gateway",)
    assert consistency.readers_of("identity.PasswordResetRequested") == ()


def test_the_header_reads_back_what_it_wrote():
    events = [("e1", "identity.UserCreated"), ("e2", "catalog.SubscriptionAccepted")]
    assert consistency.parse_events(consistency.format_events(events)) == events
    assert consistency.parse_events("garbage, =x, a=") == []

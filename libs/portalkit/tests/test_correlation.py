"""The request's id: its form, its binding per thread, the web apps, the outbox, the consumer and the jobs."""
import json
import threading

import pytest
from sqlalchemy.orm import DeclarativeBase

from portalkit import correlation
from portalkit.consumer import EventConsumer, HandledEventMixin
from portalkit.db import Database
from portalkit.events import new_envelope
from portalkit.jobs import every
from portalkit.outbox import Outbox, OutboxMixin
from portalkit.testing import recorded_events
from portalkit.web import Blueprint, create_service_app, db_session


class Base(DeclarativeBase):
    pass


class OutboxMessage(OutboxMixin, Base):
    pass


class HandledEvent(HandledEventMixin, Base):
    pass


OUTBOX = Outbox("identity", OutboxMessage)
COMPANY = {"company_id": "c1", "number": "1", "name": "Acme"}


@pytest.fixture
def database(var_dir):
    db = Database(f"sqlite:///{var_dir}/svc.db")
    Base.metadata.create_all(db.engine)
    return db


@pytest.mark.parametrize("value", ["abcdefgh", "0f" * 16, "req.1:2_3-4", "x" * 128])
def test_well_formed_ids_are_kept(value):
    assert correlation.accepted_or_new(value) == value


@pytest.mark.parametrize("value", [None, "", "short", "x" * 129, "abcdefgh\nforged line", "abc defgh",
                                   "é" * 10, "abcdefgh;rm", '{"a":"b"}'])
def test_anything_else_is_replaced_by_a_fresh_id(value):
    replaced = correlation.accepted_or_new(value)
    assert replaced != value and correlation.well_formed(replaced) and len(replaced) == 32


def test_each_thread_sees_its_own_binding():
    seen = {}
    bound_in_thread = threading.Event()
    main_checked = threading.Event()

    def other():
        seen["before"] = correlation.current()
        with correlation.bound("thread-0000001"):
            bound_in_thread.set()
            main_checked.wait(5)
            seen["inside"] = correlation.current()

    with correlation.bound("main-00000001"):
        thread = threading.Thread(target=other)
        thread.start()
        bound_in_thread.wait(5)
        seen["main"] = correlation.current()
        main_checked.set()
        thread.join(5)
    assert seen == {"before": None, "inside": "thread-0000001", "main": "main-00000001"}
    assert correlation.current() is None


def test_a_binding_restores_the_one_before():
    with correlation.bound("outer-0000001"):
        with correlation.handling("inner-0000001", "e1", "identity.UserCreated") as bound_id:
            assert bound_id == "inner-0000001"
            assert correlation.current_event() == ("e1", "identity.UserCreated")
        assert correlation.current() == "outer-0000001" and correlation.current_event() is None
        with correlation.handling(None, "e2-0000001", "identity.UserCreated") as own:
            assert own == "e2-0000001" and correlation.current() == own
    assert correlation.current() is None


def _service(database, seen):
    blp = Blueprint("things", __name__, url_prefix="/identity")

    @blp.route("/things", methods=["POST"])
    def write():
        seen.append(correlation.current())
        session = db_session()
        OUTBOX.add(session, "CompanyRegistered", COMPANY)
        session.commit()
        return {"ok": True}, 201

    return create_service_app("identity", [blp], database=database).test_client()


def test_a_service_binds_the_callers_id_and_answers_with_it(database):
    seen = []
    client = _service(database, seen)
    answer = client.post("/identity/things", headers={"X-Request-Id": "gateway-id-123"})
    assert answer.status_code == 401  # unsigned: refused, and still followed
    assert answer.headers["X-Request-Id"] == "gateway-id-123"
    from portalkit.testing import signed_headers
    answer = client.post("/identity/things", headers={**signed_headers(), "X-Request-Id": "gateway-id-123"})
    assert answer.status_code == 201 and answer.headers["X-Request-Id"] == "gateway-id-123"
    assert seen == ["gateway-id-123"] and correlation.current() is None
    assert recorded_events(database, OutboxMessage)[-1]["correlation_id"] == "gateway-id-123"


def test_a_service_does_not_trust_a_malformed_id(database):
    seen = []
    client = _service(database, seen)
    from portalkit.testing import signed_headers
    answer = client.post("/identity/things", headers={**signed_headers(), "X-Request-Id": "bad id\u00e9"})
    request_id = answer.headers["X-Request-Id"]
    assert request_id != "bad id\u00e9" and correlation.well_formed(request_id)
    assert seen == [request_id]
    assert recorded_events(database, OutboxMessage)[-1]["correlation_id"] == request_id
    assert client.get("/health").headers["X-Request-Id"] != request_id  # a fresh one per request


def test_the_outbox_writes_the_bound_id_unless_told_another(database):
    with database.transaction() as session:
        OUTBOX.add(session, "CompanyRegistered", COMPANY)
        with correlation.bound("request-0000001"):
            OUTBOX.add(session, "CompanyRegistered", COMPANY)
            OUTBOX.add(session, "CompanyRegistered", COMPANY, correlation_id="explicit-0001")
            OUTBOX.add_many(session, "CompanyRegistered", [COMPANY, COMPANY])
    assert [event["correlation_id"] for event in recorded_events(database, OutboxMessage)] == [
        None, "request-0000001", "explicit-0001", "request-0000001", "request-0000001"]


class _Message:
    headers: dict = {}
    channel = None

    def __init__(self):
        self.acked = False

    def ack(self):
        self.acked = True


def test_the_consumer_binds_the_event_while_handling_it_and_restores_after(database):
    seen = []

    def handler(session, event):
        seen.append((correlation.current(), correlation.current_event()))
        OUTBOX.add(session, "CompanyRegistered", {**COMPANY, "company_id": "c2"})  # written in turn

    consumer = EventConsumer(None, "identity", database, HandledEvent, {"identity.CompanyRegistered": handler})
    envelope = new_envelope("CompanyRegistered", COMPANY, "request-0000001")
    message = _Message()
    with correlation.bound("consumer-00001"):
        consumer.on_message(json.loads(json.dumps(envelope)), message)
        assert correlation.current() == "consumer-00001" and correlation.current_event() is None
    assert message.acked
    assert seen == [("request-0000001", (envelope["id"], "identity.CompanyRegistered"))]
    (written,) = recorded_events(database, OutboxMessage)
    assert written["data"]["company_id"] == "c2" and written["correlation_id"] == "request-0000001"


def test_an_event_without_a_correlation_id_is_followed_by_its_own_id(database):
    seen = []
    consumer = EventConsumer(None, "identity", database, HandledEvent,
                             {"identity.CompanyRegistered": lambda session, event: seen.append(correlation.current())})
    envelope = new_envelope("CompanyRegistered", COMPANY)
    consumer.on_message(envelope, _Message())
    assert seen == [envelope["id"]] and correlation.current() is None


def test_each_job_run_has_a_fresh_id():
    seen = []
    job = every(10, lambda: seen.append(correlation.current()), "probe")
    job.run_if_due(0)
    job.run_if_due(20)
    assert len(set(seen)) == 2 and all(correlation.well_formed(value) for value in seen)
    assert correlation.current() is None

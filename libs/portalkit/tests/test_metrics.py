"""The metrics of portalkit: requests by route template, the sum over processes (multiprocess
mode), the consumer's outcomes, the relay's count, what is read at scrape, and where it is served."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from types import SimpleNamespace

import pytest
from kombu import Connection
import requests
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.orm import DeclarativeBase

from portalkit import broker, gunicorn_metrics, metrics, scrape, topology
from portalkit.consumer import EventConsumer, HandledEventMixin
from portalkit.db import Database, utcnow
from portalkit.events import new_envelope
from portalkit.outbox import Outbox, OutboxMixin, Relay
from portalkit.settings import Settings
from portalkit.testing import signed_headers
from portalkit.web import create_service_app


class Base(DeclarativeBase):
    pass


class OutboxMessage(OutboxMixin, Base):
    pass


class HandledEvent(HandledEventMixin, Base):
    pass


def samples(text: str) -> dict[tuple, float]:
    """``{(sample name, frozenset of label pairs): value}`` of a text exposition."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def service_app(component="probe"):
    app = create_service_app(component, [])
    app.add_url_rule(f"/{component}/items/<item_id>", "item", lambda item_id: {"id": item_id})
    return app


@pytest.fixture
def no_multiprocess(monkeypatch):
    monkeypatch.delenv(metrics.MULTIPROC_DIR, raising=False)
    monkeypatch.delenv("PORTAL_METRICS_PORT", raising=False)


def test_requests_are_counted_by_route_template_never_by_raw_path(no_multiprocess):
    client = service_app().test_client()
    before = samples(client.get("/metrics").text)
    for item in ("a1", "b2", "c3"):
        assert client.get(f"/probe/items/{item}", headers=signed_headers()).status_code == 200
    assert client.get("/probe/items/x").status_code == 401  # refused before the view: still counted
    assert client.get("/no/such/thing/42", headers=signed_headers()).status_code == 404
    answer = client.get("/metrics")
    assert answer.status_code == 200 and answer.content_type.startswith("text/plain")
    after = samples(answer.text)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    route = {"component": "probe", "route": "/probe/items/<item_id>", "method": "GET"}
    assert delta("portal_http_requests_total", **route, status="200") == 3
    assert delta("portal_http_requests_total", **route, status="401") == 1
    assert delta("portal_http_request_duration_seconds_count", **route) == 4
    assert delta("portal_http_request_duration_seconds_bucket", **route, le="+Inf") == 4
    assert delta("portal_http_requests_total", component="probe", route="unmatched", method="GET",
                 status="404") == 1
    assert not any("a1" in str(labels) or "/no/such" in str(labels) for _, labels in after)
    # Only the scrape itself is in flight while it is answered.
    assert value(after, "portal_http_requests_in_flight", component="probe") == 1


def test_a_made_up_method_is_one_label_value():
    assert metrics.method_label("BREW") == "other" and metrics.method_label("PATCH") == "PATCH"


_WRITER = textwrap.dedent("""
    import sys
    from portalkit import metrics
    from portalkit.testing import signed_headers
    from portalkit.web import create_service_app
    app = create_service_app("probe", [])
    app.add_url_rule("/probe/items/<item_id>", "item", lambda item_id: {"id": item_id})
    client = app.test_client()
    for i in range(int(sys.argv[1])):
        assert client.get(f"/probe/items/{i}", headers=signed_headers()).status_code == 200
    if len(sys.argv) > 2:  # a process that dies in the middle of a request
        metrics.HTTP_IN_FLIGHT.labels("probe").inc()
    print(__import__("os").getpid())
""")


def _run_writer(env: dict, count: int, *extra: str) -> int:
    done = subprocess.run([sys.executable, "-c", _WRITER, str(count), *extra], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_the_processes_of_a_deployment_are_added_up(tmp_path, var_dir, monkeypatch):
    folder = tmp_path / "multiproc"
    env = {**os.environ, metrics.MULTIPROC_DIR: str(folder), "PORTAL_VAR_DIR": str(var_dir)}
    monkeypatch.setenv(metrics.MULTIPROC_DIR, str(folder))
    folder.mkdir()
    (folder / "counter_999999.db").write_bytes(b"left by the last run")
    gunicorn_metrics.starting(None)
    assert list(folder.iterdir()) == []

    _run_writer(env, 3)
    dead = _run_writer(env, 4, "dies-in-flight")
    assert len(list(folder.glob("counter_*.db"))) == 2  # one file per process

    found = samples(service_app().test_client().get("/metrics").text)
    route = {"component": "probe", "route": "/probe/items/<item_id>", "method": "GET"}
    assert value(found, "portal_http_requests_total", **route, status="200") == 7
    assert value(found, "portal_http_request_duration_seconds_count", **route) == 7
    assert value(found, "portal_http_requests_in_flight", component="probe") == 1
    # gunicorn's child_exit: a dead worker's requests in flight are no more.
    gunicorn_metrics.child_exit(None, SimpleNamespace(pid=dead))
    found = samples(metrics.exposition().get_data(as_text=True))
    assert value(found, "portal_http_requests_in_flight", component="probe") == 0
    assert value(found, "portal_http_requests_total", **route, status="200") == 7


def test_a_deployment_without_a_folder_gets_one_of_its_own_until_it_exits(monkeypatch):
    monkeypatch.setenv(metrics.MULTIPROC_DIR, "")  # unset (empty counts as unset); restored after
    gunicorn_metrics.starting(None)
    folder = os.environ[metrics.MULTIPROC_DIR]
    assert os.path.basename(folder).startswith("portal-metrics-") and os.path.isdir(folder)
    gunicorn_metrics.exiting(None)
    assert not os.path.exists(folder)


def test_the_gunicorn_hooks_never_import_the_client_library_first():
    # It picks its mode when first imported: the master's on_starting must come before that.
    done = subprocess.run([sys.executable, "-c", "import sys; from portalkit import gunicorn_metrics; "
                           "assert not [m for m in sys.modules if m.startswith('prometheus_client')]"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# -- workers -------------------------------------------------------------------------------------

class FakeMessage:
    def __init__(self, headers=None):
        self.headers, self.acked, self.channel = headers or {}, False, None

    def ack(self):
        self.acked = True


@pytest.fixture
def database(var_dir):
    db = Database(f"sqlite:///{var_dir}/metrics.db")
    Base.metadata.create_all(db.engine)
    return db


def handled(outcome: str, event_type="ProbeSent", component="probe-metrics") -> float:
    return REGISTRY.get_sample_value("portal_events_handled_total", {
        "component": component, "event_type": event_type, "outcome": outcome}) or 0.0


def test_the_consumer_counts_what_each_event_came_to(database, monkeypatch):
    failures = []

    def handler(session, event):
        if event.data["probe_id"].startswith("bad"):
            failures.append(event.id)
            raise ValueError("cannot handle")

    consumer = EventConsumer(Connection("memory://"), "probe-metrics", database, HandledEvent,
                             {"probe.ProbeSent": handler}, max_retries=1, retry_delay=0)
    published = []
    monkeypatch.setattr(consumer, "_publish", lambda message, body, exchange, headers, **_:
                        published.append((exchange.name, headers)))
    before = {outcome: handled(outcome) for outcome in ("handled", "duplicate", "retried", "dead_lettered")}
    good = new_envelope("ProbeSent", {"probe_id": "1", "sent_at": 1.0})
    for _ in range(2):  # delivered, then redelivered
        message = FakeMessage()
        consumer.on_message(good, message)
        assert message.acked
    bad = new_envelope("ProbeSent", {"probe_id": "bad", "sent_at": 1.0})
    consumer.on_message(bad, FakeMessage())  # first failure: retried
    consumer.on_message(bad, FakeMessage({"x-portal-retries": 1}))  # past max_retries: parked
    consumer.on_message({"type": "NoSuchEvent", "id": "x"}, FakeMessage())  # unreadable: parked

    def delta(outcome, event_type="ProbeSent"):
        return handled(outcome, event_type) - before.get(outcome, 0.0) * (event_type == "ProbeSent")

    assert (delta("handled"), delta("duplicate"), delta("retried"), delta("dead_lettered")) == (1, 1, 1, 1)
    assert handled("dead_lettered", "unknown") >= 1
    assert [name for name, _ in published] == ["portal.retry", "portal.dead-letter", "portal.dead-letter"]
    timed = REGISTRY.get_sample_value("portal_event_handling_duration_seconds_count",
                                      {"component": "probe-metrics", "event_type": "ProbeSent"})
    assert timed >= 4  # every attempt: two good ones, two failed ones


def test_the_relay_counts_what_it_published(database, var_dir):
    settings = Settings.load("probe")
    outbox = Outbox("probe", OutboxMessage)
    with broker.connect(settings) as connection:
        topology.declare(connection)
    before = REGISTRY.get_sample_value("portal_events_published_total",
                                       {"component": "probe", "event_type": "ProbeSent"}) or 0.0
    with database.transaction() as session:
        for i in range(3):
            outbox.add(session, "ProbeSent", {"probe_id": str(i), "sent_at": 1.0})
    backlog = scrape.OutboxBacklog("probe", database, OutboxMessage)
    found = {sample.name: sample.value for family in backlog.collect() for sample in family.samples}
    assert found["portal_outbox_backlog"] == 3 and found["portal_outbox_oldest_age_seconds"] >= 0
    depths = scrape.QueueDepths(settings)
    queued = {sample.labels["queue"]: sample.value for family in depths.collect() for sample in family.samples}
    assert queued["probe.events"] == 0 and set(queued) == {q.name for q in topology.all_queues()}

    relay = Relay(database, outbox, broker.connect(settings))
    assert relay.relay_once() == 3
    relay.connection.close()
    assert REGISTRY.get_sample_value("portal_events_published_total",
                                     {"component": "probe", "event_type": "ProbeSent"}) - before == 3
    found = {sample.name: sample.value for family in backlog.collect() for sample in family.samples}
    assert found == {"portal_outbox_backlog": 0, "portal_outbox_oldest_age_seconds": 0}
    families = list(depths.collect())
    queued = {sample.labels["queue"]: sample.value for family in families for sample in family.samples}
    assert queued["probe.events"] == 3  # the folder bus counts its messages
    assert [family.name for family in families] == ["portal_queue_messages"]  # and knows no consumers


def test_the_oldest_unpublished_row_gives_the_backlog_its_age(database):
    outbox = Outbox("probe", OutboxMessage)
    with database.transaction() as session:
        outbox.add(session, "ProbeSent", {"probe_id": "old", "sent_at": 1.0})
        session.flush()
        session.query(OutboxMessage).update({"created_at": utcnow() - timedelta(minutes=5)})
    found = {sample.name: sample.value for family in scrape.OutboxBacklog("probe", database, OutboxMessage).collect()
             for sample in family.samples}
    assert 299 <= found["portal_outbox_oldest_age_seconds"] <= 330


def test_an_unreadable_database_or_broker_leaves_its_metrics_out(tmp_path):
    missing = Database(f"sqlite:///{tmp_path}/nothing-here.db")  # no outbox table
    assert list(scrape.OutboxBacklog("probe", missing, OutboxMessage).collect()) == []
    nowhere = Settings.load("probe").__class__(**{**Settings.load("probe").__dict__,
                                                  "broker_url": "amqp://guest:guest@127.0.0.1:1//"})
    assert list(scrape.QueueDepths(nowhere).collect()) == []


def test_a_worker_serves_its_metrics_on_its_port(database, var_dir, monkeypatch, no_multiprocess):
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert metrics.serve_worker("probe", Settings.load("probe"), database, None) is None  # unset: not served
    monkeypatch.setenv("PORTAL_METRICS_PORT", str(port))
    monkeypatch.setenv("PORTAL_METRICS_ADDRESS", "127.0.0.1")
    server = metrics.serve_worker("probe", Settings.load("probe"), database, Outbox("probe", OutboxMessage))
    try:
        with broker.connect(Settings.load("probe")) as connection:
            topology.declare(connection)
        metrics.event_outcome("probe", "ProbeSent", metrics.HANDLED)
        found = samples(requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text)
    finally:
        server.shutdown()
        server.server_close()
    assert value(found, "portal_events_handled_total", component="probe", event_type="ProbeSent",
                 outcome="handled") >= 1
    assert value(found, "portal_outbox_backlog", component="probe") == 0
    assert ("portal_queue_messages", frozenset({("queue", "probe.dead-letter")})) in found


def test_emitted_names_are_what_the_exposition_shows(no_multiprocess, database):
    names = metrics.emitted_names()
    assert {"portal_http_requests_total", "portal_http_request_duration_seconds_bucket",
            "portal_http_request_duration_seconds_sum", "portal_http_request_duration_seconds_count",
            "portal_http_requests_in_flight", "portal_events_handled_total",
            "portal_event_handling_duration_seconds_bucket", "portal_events_published_total",
            "portal_outbox_backlog", "portal_outbox_oldest_age_seconds", "portal_queue_messages",
            "portal_queue_consumers"} <= names
    client = service_app().test_client()
    client.get("/probe/items/1", headers=signed_headers())
    metrics.event_outcome("probe", "ProbeSent", metrics.HANDLED)
    metrics.event_handling_took("probe", "ProbeSent", 0.01)
    metrics.events_published("probe", ["probe.ProbeSent"])
    # portalkit's own metrics only: the process's default registry also holds whatever other
    # packages imported in this test run define (the gateway's, when its tests ran first).
    from prometheus_client import CollectorRegistry, generate_latest
    registry = CollectorRegistry()
    for metric in metrics.OWN_METRICS:
        registry.register(metric)
    registry.register(scrape.OutboxBacklog("probe", database, OutboxMessage))
    shown = {name for name, _ in samples(generate_latest(registry).decode()) if name.startswith("portal_")}
    assert shown and shown <= names
    json.dumps(sorted(names))  # plain strings, for the dashboard check


# -- under gunicorn, with deploy/gunicorn.conf.py ----------------------------------------------------

_GUNICORN_APP = textwrap.dedent("""
    import os
    from portalkit.web import create_service_app

    def create_app():
        app = create_service_app("probe", [])
        app.add_url_rule("/probe/pid", "pid", lambda: {"pid": os.getpid()})
        return app
""")


def test_gunicorn_workers_are_added_up_in_a_folder_of_the_deployments_own(tmp_path, var_dir, no_multiprocess):
    import glob
    import signal
    import socket
    import time
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path

    (tmp_path / "probe_app.py").write_text(_GUNICORN_APP)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = Path(__file__).resolve().parents[3] / "deploy" / "gunicorn.conf.py"
    folders_before = set(glob.glob("/tmp/portal-metrics-*"))
    env = {key: item for key, item in os.environ.items() if key != metrics.MULTIPROC_DIR}
    env.update(PORTAL_VAR_DIR=str(var_dir), GUNICORN_WORKERS="2", GUNICORN_THREADS="4")
    # gunicorn's logs go to a file: a pipe nobody reads fills up (64 KiB, a few hundred access
    # lines) and then blocks the workers' next write — the rare 10 s timeout this test once had.
    said = tmp_path / "gunicorn.log"
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", str(config), "-b",
                               f"127.0.0.1:{port}", "--pythonpath", str(tmp_path), "probe_app:create_app()"],
                              env=env, stdout=subprocess.DEVNULL, stderr=said.open("wb"))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{base}/health", timeout=5)
                break
            except requests.RequestException:  # refused, or accepted before a worker is up
                assert server.poll() is None and time.monotonic() < deadline, said.read_text(errors="replace")
                time.sleep(0.1)
        pids, calls = set(), 0

        def call(_):
            # A new connection each time: either worker may accept it.
            with requests.Session() as session:
                return session.get(f"{base}/probe/pid", headers=signed_headers(), timeout=10).json()["pid"]

        try:
            with ThreadPoolExecutor(8) as pool:
                while len(pids) < 2 and calls < 800:
                    pids.update(pool.map(call, range(40)))
                    calls += 40
        except requests.RequestException as error:
            raise AssertionError(f"{error!r} after {calls} calls; gunicorn said:\n"
                                 f"{said.read_text(errors='replace')[-4000:]}") from error
        assert len(pids) == 2, "one worker took every call"
        found = samples(requests.get(f"{base}/metrics", timeout=10).text)
        assert value(found, "portal_http_requests_total", component="probe", route="/probe/pid", method="GET",
                     status="200") == calls
        # This server's folder: the new one holding its workers' files (other gunicorns running
        # on the machine meanwhile make folders of their own).
        (folder,) = {found for found in set(glob.glob("/tmp/portal-metrics-*")) - folders_before
                     if any(Path(found, f"counter_{pid}.db").exists() for pid in pids)}
        assert {Path(file).name for file in glob.glob(f"{folder}/counter_*.db")} == {
            f"counter_{pid}.db" for pid in pids}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert not os.path.exists(folder)  # gunicorn's on_exit took the folder away

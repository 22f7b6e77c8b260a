"""The gateway's metrics: its calls by route template, the hop to each service and its failures,
throttled calls, answers released unsettled, the sessions open; none of it on the public port."""
from __future__ import annotations

import socket
from datetime import timedelta
from types import SimpleNamespace

import pytest
import requests
from prometheus_client import REGISTRY

from portalkit import gunicorn_metrics, metrics as portal_metrics
from portalkit.consistency import format_events
from portalkit.settings import database_url

from gateway import metrics, seams
from gateway.settling import Settler


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_the_public_port_shows_no_metrics_and_the_api_cannot_reach_a_services(client, services):
    assert client.get("/metrics").status_code == 404
    # The allow-list sends /api/<service>/… under the service's own prefix, never to its /metrics.
    client.get("/api/identity/metrics")
    assert services["identity"].last.path == "/identity/metrics"
    assert client.get("/api/metrics").status_code == 404


def test_api_calls_and_pages_are_counted_by_template(client, services):
    labels = {"component": "gateway", "route": "/api/identity/*", "method": "GET", "status": "200"}
    before = sample("portal_http_requests_total", **labels)
    unmatched = {**labels, "route": "unmatched", "status": "404"}
    before_unmatched = sample("portal_http_requests_total", **unmatched)
    for user in ("u-1", "u-2"):
        assert client.get(f"/api/identity/users/{user}").status_code == 200
    assert client.get("/api/nowhere/at/all").status_code == 404
    assert sample("portal_http_requests_total", **labels) - before == 2
    assert sample("portal_http_requests_total", **unmatched) - before_unmatched == 1
    health = {"component": "gateway", "route": "/health", "method": "GET", "status": "200"}
    before = sample("portal_http_requests_total", **health)
    assert client.get("/health").status_code == 200
    assert sample("portal_http_requests_total", **health) - before == 1
    assert sample("portal_http_requests_in_flight", component="gateway") == 0


def test_the_hop_to_each_service_is_timed_and_its_failures_counted(var_dir, services, monkeypatch,
                                                                    closed_port, slow):
    monkeypatch.setenv("PORTAL_ASSETS_URL", f"http://127.0.0.1:{closed_port}")
    monkeypatch.setenv("PORTAL_UPSTREAM_READ_TIMEOUT", "0.3")
    services["knowledge"].routes[("GET", "/knowledge/articles")] = slow(1.0)
    services["support"].routes[("GET", "/support/broken")] = lambda seen: (500, {"error": {"code": "x"}})
    from gateway.app import create_app
    upstream = seams.of(create_app()).upstream

    def errors(service, reason):
        return sample("portal_upstream_errors_total", component="gateway", service=service, reason=reason)

    before = {key: errors(*key) for key in (("assets", "unreachable"), ("knowledge", "timeout"),
                                            ("support", "status_5xx"))}
    timed = sample("portal_upstream_request_duration_seconds_count", component="gateway", service="support")
    assert upstream.call("assets", "GET", "/assets/products", None)[0] == 503
    assert upstream.call("knowledge", "GET", "/knowledge/articles", None)[0] == 504
    assert upstream.call("support", "GET", "/support/broken", None)[0] == 500
    assert upstream.call("support", "GET", "/support/fine", None)[0] == 200
    assert {key: errors(*key) - count for key, count in before.items()} == dict.fromkeys(before, 1)
    assert sample("portal_upstream_request_duration_seconds_count", component="gateway",
                  service="support") - timed == 2


def test_throttled_calls_and_unsettled_answers_are_counted(tmp_path):
    from gateway.throttle import SIGN_IN, Attempt, Limits, Throttle, TooManyTries, parse_limits
    throttle = Throttle("memory://", {SIGN_IN: Limits(parse_limits("1/minute"), ())})
    attempt = Attempt(SIGN_IN, "192.0.2.7", None)
    before = sample("portal_throttled_total", component="gateway", rule="sign_in")
    throttle.check(attempt)
    throttle.record(attempt, 401)
    with pytest.raises(TooManyTries):
        throttle.check(attempt)
    assert sample("portal_throttled_total", component="gateway", rule="sign_in") - before == 1

    from portalkit.db import Database
    from gateway.models import Base
    database = Database(f"sqlite:///{tmp_path}/gateway.db")
    Base.metadata.create_all(database.engine)
    before = sample("portal_settle_timeouts_total", component="gateway")
    assert not Settler(None, database, timeout=0.05).settle(format_events([("s", "identity.SessionsEnded")]))
    assert sample("portal_settle_timeouts_total", component="gateway") - before == 1


def test_the_sessions_open_are_read_at_scrape(gateway, open_session):
    tokens = [open_session(user_id=f"u{i}") for i in range(3)]
    gateway.sessions.end(tokens[0])
    collector = metrics.OpenSessions(database_url("gateway"), timedelta(minutes=60))
    found = [(s.name, s.labels, s.value) for family in collector.collect() for s in family.samples]
    assert found == [("portal_sessions_open", {"component": "gateway"}, 2)]
    idle_now = metrics.OpenSessions(database_url("gateway"), timedelta(seconds=0))
    assert [s.value for family in idle_now.collect() for s in family.samples] == [0]


def test_the_master_serves_the_workers_sum_with_the_sessions_open(var_dir, open_session, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("PORTAL_METRICS_PORT", str(port))
    monkeypatch.setenv("PORTAL_METRICS_ADDRESS", "127.0.0.1")
    monkeypatch.delenv(portal_metrics.MULTIPROC_DIR, raising=False)
    open_session()
    metrics.throttled("sign_in")
    master = SimpleNamespace(app=SimpleNamespace(app_uri="gateway.app:create_app()"))
    servers = []  # the real server, kept to be stopped
    real_serve = portal_metrics.serve
    monkeypatch.setattr(portal_metrics, "serve", lambda *c: servers.append(real_serve(*c)))
    gunicorn_metrics.ready(master)
    try:
        text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    assert 'portal_sessions_open{component="gateway"} 1.0' in text
    assert 'portal_throttled_total{component="gateway",rule="sign_in"}' in text


def test_emitted_names():
    assert metrics.emitted_names() == {
        "portal_upstream_request_duration_seconds_bucket", "portal_upstream_request_duration_seconds_sum",
        "portal_upstream_request_duration_seconds_count", "portal_upstream_errors_total",
        "portal_sessions_open", "portal_throttled_total", "portal_settle_timeouts_total"}

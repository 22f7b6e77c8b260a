"""The metrics of a live mesh, on each backend: a few calls through the gateway, then the counts in
the service's ``/metrics``, in the gateway's (its master's port) and in the workers' — including
the events those calls caused, handled by the time their answer came."""
from __future__ import annotations

import uuid

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from portalkit import topology

pytestmark = pytest.mark.mesh


def scrape(url: str) -> dict[tuple, float]:
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 200, url
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(answer.text) for sample in family.samples}


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def named(found: dict, name: str) -> dict[frozenset, float]:
    return {labels: number for (sample, labels), number in found.items() if sample == name}


def test_a_live_mesh_counts_its_calls_and_the_events_they_caused(mesh):
    urls = mesh.mesh.metrics_urls
    user = mesh.api_login(*mesh.demo["user"])
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    identity_before, gateway_before = scrape(urls["identity"]), scrape(urls["gateway"])
    catalog_worker_before = scrape(urls["catalog-worker"])

    for _ in range(3):
        assert user.get(mesh.url("/api/identity/me"), timeout=10).status_code == 200
    number = f"M-{uuid.uuid4().hex[:8]}"
    registered = operator.post(mesh.url("/api/operator/companies"), timeout=10, json={
        "number": number, "name": f"Company {number}", "postcode": "69001", "city": "Lyon",
        "administrator": {"email": f"{number.lower()}@client.test", "title": "MME", "last_name": "Durand",
                          "first_name": "Claire", "language": "en"}})
    assert registered.status_code == 201, registered.text

    # The service's own port: its route template, never the raw path, summed over its workers.
    identity = scrape(urls["identity"])
    me = {"component": "identity", "route": "/identity/me", "method": "GET"}
    assert value(identity, "portal_http_requests_total", **me, status="200") \
        - value(identity_before, "portal_http_requests_total", **me, status="200") == 3
    assert value(identity, "portal_http_request_duration_seconds_count", **me) \
        - value(identity_before, "portal_http_request_duration_seconds_count", **me) == 3
    created = {"component": "identity", "route": "/operator/companies", "method": "POST", "status": "201"}
    assert value(identity, "portal_http_requests_total", **created) \
        - value(identity_before, "portal_http_requests_total", **created) == 1

    # The gateway's metrics: on its master's port only.
    gateway = scrape(urls["gateway"])
    api = {"component": "gateway", "route": "/api/identity/*", "method": "GET", "status": "200"}
    assert value(gateway, "portal_http_requests_total", **api) \
        - value(gateway_before, "portal_http_requests_total", **api) == 3
    hops = {"component": "gateway", "service": "identity"}
    assert value(gateway, "portal_upstream_request_duration_seconds_count", **hops) \
        - value(gateway_before, "portal_upstream_request_duration_seconds_count", **hops) >= 4
    assert value(gateway, "portal_sessions_open", component="gateway") >= 2
    assert requests.get(mesh.url("/metrics"), timeout=10).status_code == 404
    assert requests.get(mesh.url("/api/identity/metrics"), timeout=10).status_code == 404

    # The catalog's worker handled the registration before its answer came (the gateway holds it).
    catalog_worker = scrape(urls["catalog-worker"])
    handled = {"component": "catalog", "event_type": "CompanyRegistered", "outcome": "handled"}
    assert value(catalog_worker, "portal_events_handled_total", **handled) \
        - value(catalog_worker_before, "portal_events_handled_total", **handled) == 1
    assert value(catalog_worker, "portal_event_handling_duration_seconds_count",
                 component="catalog", event_type="CompanyRegistered") >= 1

    # identity's worker: what its relay published, its outbox's backlog, and the broker's queues.
    identity_worker = scrape(urls["identity-worker"])
    assert value(identity_worker, "portal_events_published_total", component="identity",
                 event_type="CompanyRegistered") >= 1
    assert ("portal_outbox_backlog", frozenset({("component", "identity")})) in identity_worker
    assert ("portal_outbox_oldest_age_seconds", frozenset({("component", "identity")})) in identity_worker
    depths = named(identity_worker, "portal_queue_messages")
    assert {dict(labels)["queue"] for labels in depths} == {queue.name for queue in topology.all_queues()}
    consumers = {dict(labels)["queue"]: number
                 for labels, number in named(identity_worker, "portal_queue_consumers").items()}
    if mesh.backend == "embedded":
        assert consumers == {}  # the folder bus does not know its consumers
    else:
        assert consumers["catalog.events"] >= 1 and consumers["catalog.dead-letter"] == 0
    # The gateway's worker has no outbox: no backlog to show.
    assert not named(scrape(urls["gateway-worker"]), "portal_outbox_backlog")

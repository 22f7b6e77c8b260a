"""The Prometheus metrics of every portal process: web requests, events handled and published,
and what is read at scrape time (``scrape.py``); where and how they are served.

Under gunicorn, every worker process writes its values to ``PROMETHEUS_MULTIPROC_DIR`` (the client
library's multiprocess mode) and a scrape adds them up; without it, a process serves its own.
Every metric carries ``component`` (the service, or ``gateway``), except the broker's queue ones.
"""
from __future__ import annotations

import logging
from pathlib import Path
from time import perf_counter

from flask import Flask, Response, g, request
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge,
                               Histogram, disable_created_metrics, generate_latest, multiprocess,
                               start_http_server)
from prometheus_client.metrics import MetricWrapperBase

from .settings import env, env_int

log = logging.getLogger(__name__)

# The ``_created`` series double every counter and histogram for a value no alert or panel uses
# (and multiprocess mode has none): one exposition whatever the mode.
disable_created_metrics()

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED = "unmatched"
# A request's or a hop's time: 5 ms (a cached read) to 10 s (far past every target).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# An event handler often takes a millisecond; a slow one (an import's thousands of rows) seconds.
HANDLING_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Any other method a client makes up is one label value, not one each.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
HANDLED, DUPLICATE, RETRIED, DEAD_LETTERED = "handled", "duplicate", "retried", "dead_lettered"

_DEFINED: dict[str, MetricWrapperBase] = {}


def define(kind: type[MetricWrapperBase], name: str, documentation: str, labels: tuple, **options):
    """The process's one ``kind`` metric called ``name``: a module imported afresh (a test that
    reloads the gateway's modules) gets the registered one back instead of a duplicate error."""
    metric = _DEFINED.get(name)
    if metric is None:
        metric = _DEFINED[name] = kind(name, documentation, labels, **options)
    if not isinstance(metric, kind):
        raise TypeError(f"{name} is already a {type(metric).__name__}")
    return metric


HTTP_REQUESTS = define(Counter,
    "portal_http_requests_total", "HTTP requests answered, by route template, method and status.",
    ("component", "route", "method", "status"))
HTTP_DURATION = define(Histogram,
    "portal_http_request_duration_seconds", "Time to answer an HTTP request, by route template and method.",
    ("component", "route", "method"), buckets=LATENCY_BUCKETS)
HTTP_IN_FLIGHT = define(Gauge,
    "portal_http_requests_in_flight", "HTTP requests being answered now.", ("component",),
    multiprocess_mode="livesum")
EVENTS_HANDLED = define(Counter,
    "portal_events_handled_total",
    "Events a consumer took from its queue, by type and outcome (handled, duplicate, retried, dead_lettered).",
    ("component", "event_type", "outcome"))
EVENT_DURATION = define(Histogram,
    "portal_event_handling_duration_seconds", "Time of one attempt at handling an event, by type.",
    ("component", "event_type"), buckets=HANDLING_BUCKETS)
EVENTS_PUBLISHED = define(Counter,
    "portal_events_published_total", "Events the outbox relay published to the broker, by type.",
    ("component", "event_type"))
OWN_METRICS = (HTTP_REQUESTS, HTTP_DURATION, HTTP_IN_FLIGHT, EVENTS_HANDLED, EVENT_DURATION,
               EVENTS_PUBLISHED)


# -- web processes ---------------------------------------------------------------------------------

def method_label(method: str) -> str:
    return method if method in METHODS else "other"


# The children of each label set, found once: ``labels()`` takes a lock and builds a key on every
# call, a third of the hook's time. Bounded: routes are the app's rules, methods and statuses few.
_REQUEST_CHILDREN: dict[tuple, tuple] = {}


def observe_request(component: str, route: str, method: str, status, seconds: float) -> None:
    key = (component, route, method_label(method), status)
    children = _REQUEST_CHILDREN.get(key)
    if children is None:
        children = _REQUEST_CHILDREN[key] = (HTTP_REQUESTS.labels(component, route, key[2], str(status)),
                                             HTTP_DURATION.labels(component, route, key[2]))
    children[0].inc()
    children[1].observe(seconds)


def install(app: Flask, component: str, serve: bool = True) -> None:
    """Count and time every request of ``app`` by its URL rule; ``serve``: answer ``/metrics``.

    The gateway passes ``serve=False``: its public port must not show them (its gunicorn master
    serves them on PORTAL_METRICS_PORT).
    """
    ensure_multiprocess_dir()
    in_flight = HTTP_IN_FLIGHT.labels(component)

    def started():
        g.portal_metrics_started = perf_counter()
        in_flight.inc()

    def answered(response):
        g.portal_metrics_status = response.status_code
        return response

    def finished(_error=None):
        since = g.pop("portal_metrics_started", None)
        if since is None:
            return
        in_flight.dec()
        rule = request.url_rule
        observe_request(component, rule.rule if rule is not None else UNMATCHED, request.method,
                        g.pop("portal_metrics_status", 500), perf_counter() - since)

    # First before anything else may refuse the request, and the answer's status read last,
    # after every other hook (app-wide hooks run after the blueprints', in reverse order).
    app.before_request_funcs.setdefault(None, []).insert(0, started)
    app.after_request_funcs.setdefault(None, []).insert(0, answered)
    app.teardown_request(finished)
    if serve:
        app.add_url_rule("/metrics", "metrics", exposition)


class ObservedWsgi:
    """A plain WSGI app counted and timed like ``install`` does a Flask one (the gateway's proxy).

    ``route_of(environ)`` names the route template. The time runs until the app hands back its
    body: a streamed large answer's transfer is the client's time, not the portal's.
    """

    __slots__ = ("app", "component", "route_of", "in_flight")

    def __init__(self, app, component: str, route_of):
        self.app, self.component, self.route_of = app, component, route_of
        self.in_flight = HTTP_IN_FLIGHT.labels(component)
        ensure_multiprocess_dir()

    def __call__(self, environ, start_response):
        since = perf_counter()
        status = ["500"]

        def start(status_line, headers, exc_info=None):
            status[0] = status_line[:3]
            return start_response(status_line, headers, exc_info)

        self.in_flight.inc()
        try:
            return self.app(environ, start)
        finally:
            self.in_flight.dec()
            observe_request(self.component, self.route_of(environ), environ.get("REQUEST_METHOD", ""),
                            status[0], perf_counter() - since)


# -- workers ---------------------------------------------------------------------------------------

def event_outcome(component: str, event_type: str, outcome: str) -> None:
    EVENTS_HANDLED.labels(component, event_type, outcome).inc()


def event_handling_took(component: str, event_type: str, seconds: float) -> None:
    EVENT_DURATION.labels(component, event_type).observe(seconds)


def events_published(component: str, routing_keys) -> None:
    for routing_key in routing_keys:
        EVENTS_PUBLISHED.labels(component, routing_key.partition(".")[2]).inc()


# -- serving ---------------------------------------------------------------------------------------

def multiprocess_dir() -> str | None:
    return env(MULTIPROC_DIR)


def ensure_multiprocess_dir() -> None:
    # Values are written there from the first one on: a missing folder would fail that request.
    directory = multiprocess_dir()
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)


def metrics_port() -> int | None:
    """PORTAL_METRICS_PORT: where a worker (or the gateway's gunicorn master) serves /metrics."""
    port = env_int("PORTAL_METRICS_PORT", 0)
    return port or None


def metrics_address() -> str:
    return env("PORTAL_METRICS_ADDRESS", "0.0.0.0")


class _ProcessRegistry:
    """This process's own registry, as one collector of a scrape's registry."""

    def collect(self):
        return REGISTRY.collect()


def scrape_registry(*collectors) -> CollectorRegistry:
    """What one scrape shows: every process of the deployment (multiprocess mode) or this one,
    plus ``collectors`` read at scrape time."""
    registry = CollectorRegistry()
    directory = multiprocess_dir()
    if directory:
        multiprocess.MultiProcessCollector(registry, path=directory)
    else:
        registry.register(_ProcessRegistry())
    for collector in collectors:
        registry.register(collector)
    return registry


def exposition():
    """The deployment's metrics in Prometheus' text format (GET /metrics, internal port only)."""
    return Response(generate_latest(scrape_registry()), headers={"Content-Type": CONTENT_TYPE_LATEST})


def serve(*collectors):
    """Serve /metrics on PORTAL_METRICS_PORT in a thread of this process; None when it is unset."""
    port = metrics_port()
    if port is None:
        return None
    ensure_multiprocess_dir()
    server, _thread = start_http_server(port, addr=metrics_address(), registry=scrape_registry(*collectors))
    log.info("metrics served on %s:%s/metrics", metrics_address(), port)
    return server


def serve_worker(component: str, settings, database, outbox=None):
    """A worker's /metrics: its counts, its outbox's backlog and the broker's queues."""
    from . import scrape
    collectors = [scrape.QueueDepths(settings)]
    if outbox is not None:
        collectors.append(scrape.OutboxBacklog(component, database, outbox.model))
    return serve(*collectors)


# -- what is emitted (the dashboard and alert check, deploy/tests) -----------------------------------

def sample_names(families) -> set[str]:
    """The sample names families of these types appear under in the text exposition."""
    names: set[str] = set()
    for family in families:
        if family.type == "counter":
            names.add(family.name + "_total")
        elif family.type == "histogram":
            names.update(family.name + suffix for suffix in ("_bucket", "_sum", "_count"))
        else:
            names.add(family.name)
    return names


def emitted_names() -> set[str]:
    """Every sample name portalkit's metrics and scrape-time collectors emit."""
    from . import scrape
    families = [family for metric in OWN_METRICS for family in metric.describe()]
    return sample_names(families) | sample_names(scrape.described())

"""The gateway's own Prometheus metrics: the hop to each service, throttled calls, answers
released unsettled, and the sessions open (read at scrape by the gunicorn master).

Its requests are counted by portalkit's hooks (``portalkit.metrics``): the pages by their Flask
rule, the API by its allow-list prefix. None of this is served on the public port.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from portalkit import metrics as portal_metrics
from portalkit.db import utcnow

from . import routes

log = logging.getLogger(__name__)
COMPONENT = "gateway"
UNREACHABLE, TIMEOUT, STATUS_5XX = "unreachable", "timeout", "status_5xx"
SESSIONS_OPEN = "portal_sessions_open"

UPSTREAM_DURATION = portal_metrics.define(Histogram,
    "portal_upstream_request_duration_seconds",
    "Time from sending a call to a service to its answer's headers (or to the failure), by service.",
    ("component", "service"), buckets=portal_metrics.LATENCY_BUCKETS)
UPSTREAM_ERRORS = portal_metrics.define(Counter,
    "portal_upstream_errors_total", "Calls to a service that failed, by service and reason "
    "(unreachable, timeout, status_5xx).", ("component", "service", "reason"))
THROTTLED = portal_metrics.define(Counter,
    "portal_throttled_total", "Calls the gateway's throttle refused with 429, by rule.", ("component", "rule"))
SETTLE_TIMEOUTS = portal_metrics.define(Counter,
    "portal_settle_timeouts_total",
    "Answers passed on at PORTAL_CONSISTENCY_TIMEOUT before their events were applied.", ("component",))
OWN_METRICS = (UPSTREAM_DURATION, UPSTREAM_ERRORS, THROTTLED, SETTLE_TIMEOUTS)


# -- the hooks (upstream.py, throttle.py, settling.py, app.py) -------------------------------------

def upstream_took(service: str, seconds: float) -> None:
    UPSTREAM_DURATION.labels(COMPONENT, service).observe(seconds)


def upstream_failed(service: str, reason: str) -> None:
    UPSTREAM_ERRORS.labels(COMPONENT, service, reason).inc()


def throttled(rule: str) -> None:
    THROTTLED.labels(COMPONENT, rule).inc()


def settle_timed_out() -> None:
    SETTLE_TIMEOUTS.labels(COMPONENT).inc()


def api_route(environ) -> str:
    """The route template of an /api call: its allow-list prefix (never the raw path)."""
    path = environ.get("PATH_INFO") or "/"
    if path in ("/api/auth/login", "/api/auth/logout"):
        return path
    route = routes.match(path)
    return f"{route.prefix}*" if route is not None else portal_metrics.UNMATCHED


def install(app, api):
    """Count the pages of ``app`` and the calls of the ``api`` proxy; return the observed proxy."""
    portal_metrics.install(app, COMPONENT, serve=False)
    return portal_metrics.ObservedWsgi(api, COMPONENT, api_route)


# -- read at scrape ---------------------------------------------------------------------------------

class OpenSessions:
    """``portal_sessions_open``: sessions not ended, not expired and not idle past the limit.

    The master process reads it: its engine keeps no connection between scrapes, so nothing of
    it is inherited by the workers gunicorn forks.
    """

    def __init__(self, database_url: str, idle: timedelta):
        self.database_url, self.idle = database_url, idle
        self.engine = None

    def describe(self):
        return [_sessions_family()]

    def collect(self):
        from .models import UserSession
        if self.engine is None:
            self.engine = create_engine(self.database_url, poolclass=NullPool)
        now = utcnow()
        query = select(func.count()).select_from(UserSession).where(
            UserSession.ended_at.is_(None), UserSession.expires_at > now,
            UserSession.last_seen_at > now - self.idle)
        try:
            with self.engine.connect() as connection:
                count = connection.execute(query).scalar_one()
        except Exception:  # noqa: BLE001 - a scrape must not fail for the database
            log.warning("open sessions not readable", exc_info=True)
            return
        family = _sessions_family()
        family.add_metric([COMPONENT], count)
        yield family


def _sessions_family() -> GaugeMetricFamily:
    return GaugeMetricFamily(SESSIONS_OPEN, "Gateway sessions open (not ended, expired nor idle).",
                             labels=["component"])


def scrape_collectors() -> list:
    """What the gateway's gunicorn master adds to the workers' sum (``portalkit.metrics``)."""
    from portalkit.settings import database_url
    from .settings import GatewaySettings
    settings = GatewaySettings.load()
    return [OpenSessions(database_url(COMPONENT), timedelta(minutes=settings.session_idle_minutes))]


def emitted_names() -> set[str]:
    """Every sample name the gateway's own metrics and its scrape-time collector emit."""
    families = [family for metric in OWN_METRICS for family in metric.describe()]
    return portal_metrics.sample_names([*families, _sessions_family()])

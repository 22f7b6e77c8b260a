"""Write Grafana's dashboard of the portal (grafana/dashboards/portal.json) from the components,
so that every service gets the same row: edit here, run
``.venv/bin/python deploy/observability/render_dashboard.py``; ``--check`` exits 1 when the file
differs (deploy/tests). Every query names only metrics the code emits (checked there too).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from portalkit.settings import SERVICES

HERE = Path(__file__).resolve().parent
DASHBOARD = HERE / "grafana" / "dashboards" / "portal.json"
UID = "portal-overview"
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
RATE = "$__rate_interval"
# The p95 targets of alerts.yml (PortalServiceSlow, PortalGatewaySlow), drawn on the latency panels.
LATENCY_TARGET = {**{name: 0.1 for name in SERVICES}, "gateway": 0.25}
WIDTH, HEIGHT = 6, 8  # four panels a line on Grafana's 24-column grid


class Layout:
    """Hands out panel ids and grid positions, row after row."""

    def __init__(self) -> None:
        self.component = ""  # the component of the current row, if any
        self.panels: list[dict] = []
        self.y = 0
        self.x = 0

    def row(self, title: str) -> None:
        self.newline()
        self.panels.append({"id": len(self.panels) + 1, "type": "row", "title": title, "collapsed": False,
                            "gridPos": {"x": 0, "y": self.y, "w": 24, "h": 1}, "panels": []})
        self.y += 1

    def newline(self) -> None:
        if self.x:
            self.x, self.y = 0, self.y + HEIGHT

    def add(self, panel: dict) -> None:
        if self.component:
            panel = titled(self.component, panel)
        if self.x + WIDTH > 24:
            self.newline()
        panel = {"id": len(self.panels) + 1, **panel,
                 "gridPos": {"x": self.x, "y": self.y, "w": WIDTH, "h": HEIGHT}}
        self.panels.append(panel)
        self.x += WIDTH


def target(ref: str, expr: str, legend: str) -> dict:
    return {"refId": ref, "datasource": DATASOURCE, "expr": expr, "legendFormat": legend, "range": True}


def timeseries(title: str, description: str, unit: str, *targets: dict, overrides: list | None = None,
               threshold: float | None = None, stacked: bool = False) -> dict:
    custom = {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10, "showPoints": "never",
              "stacking": {"mode": "normal" if stacked else "none", "group": "A"}}
    thresholds = {"mode": "absolute", "steps": [{"color": "green", "value": None}]}
    if threshold is not None:
        # The target drawn as a dashed line: what PortalServiceSlow/PortalGatewaySlow compare with.
        thresholds["steps"].append({"color": "red", "value": threshold})
        custom["thresholdsStyle"] = {"mode": "dashed"}
    return {"type": "timeseries", "title": title, "description": description, "datasource": DATASOURCE,
            "targets": list(targets),
            "fieldConfig": {"defaults": {"unit": unit, "min": 0, "custom": custom, "thresholds": thresholds},
                            "overrides": overrides or []},
            "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                        "tooltip": {"mode": "multi", "sort": "desc"}}}


def on_right(ref: str, unit: str) -> dict:
    return {"matcher": {"id": "byFrameRefID", "options": ref},
            "properties": [{"id": "unit", "value": unit},
                           {"id": "custom.axisPlacement", "value": "right"}]}


def titled(name: str, panel: dict) -> dict:
    # The component in every title: panels are found by title in Grafana's search and links.
    return {**panel, "title": f"{name}: {panel['title']}"}


def web_panels(layout: Layout, name: str) -> None:
    where = f'component="{name}"'
    layout.add(timeseries(
        "Requests/s by status", f"Answers of {name}'s web process per second, by HTTP status.", "reqps",
        target("A", f"sum by (status) (rate(portal_http_requests_total{{{where}}}[{RATE}]))", "{{status}}"),
        stacked=True))
    buckets = f"sum by (le) (rate(portal_http_request_duration_seconds_bucket{{{where}}}[{RATE}]))"
    layout.add(timeseries(
        "Latency p50 / p95 / p99",
        f"How long {name} takes to answer; the dashed line is its p95 target "
        f"({LATENCY_TARGET[name] * 1000:.0f} ms).", "s",
        *(target(ref, f"histogram_quantile({q}, {buckets})", label)
          for ref, q, label in (("A", 0.5, "p50"), ("B", 0.95, "p95"), ("C", 0.99, "p99"))),
        threshold=LATENCY_TARGET[name]))
    layout.add(timeseries(
        "Requests in flight", f"Requests {name} is answering right now, over all its pods.", "short",
        target("A", f"sum(portal_http_requests_in_flight{{{where}}})", "in flight")))


def worker_panels(layout: Layout, name: str) -> None:
    where = f'component="{name}"'
    layout.add(timeseries(
        "Events handled by outcome",
        f"Events {name}'s consumer handled per second: handled, duplicate (already handled), "
        "retried, dead_lettered.", "ops",
        target("A", f"sum by (outcome) (rate(portal_events_handled_total{{{where}}}[{RATE}]))", "{{outcome}}"),
        stacked=True))
    layout.add(timeseries(
        "Handling time p95 by event", f"How long {name}'s handlers take, per event type (p95).", "s",
        target("A", "histogram_quantile(0.95, sum by (event_type, le) "
                    f"(rate(portal_event_handling_duration_seconds_bucket{{{where}}}[{RATE}])))",
               "{{event_type}}")))
    layout.add(timeseries(
        "Events published", f"Events {name}'s relay published per second, by type.", "ops",
        target("A", f"sum by (event_type) (rate(portal_events_published_total{{{where}}}[{RATE}]))",
               "{{event_type}}"),
        stacked=True))
    layout.add(timeseries(
        "Outbox backlog and age",
        f"Events {name} wrote but its relay has not published yet, and the age of the oldest "
        "(right axis; PortalOutboxBacklog past 60 s).", "short",
        target("A", f"max(portal_outbox_backlog{{{where}}})", "rows waiting"),
        target("B", f"max(portal_outbox_oldest_age_seconds{{{where}}})", "oldest (s)"),
        overrides=[on_right("B", "s")]))
    queues = f'queue=~"{name}[.](events|dead-letter)"'
    layout.add(timeseries(
        "Queue depth and consumers",
        f"Messages waiting in {name}'s queue and its dead-letter queue (KEDA scales the worker on "
        "the first), and the consumers on its queue (right axis).", "short",
        target("A", f"max by (queue) (portal_queue_messages{{{queues}}})", "{{queue}}"),
        target("B", f'max by (queue) (portal_queue_consumers{{queue="{name}.events"}})', "consumers"),
        overrides=[on_right("B", "short")]))


def gateway_panels(layout: Layout) -> None:
    layout.add(timeseries(
        "Upstream latency p95 by service", "The gateway's hop to each service (p95).", "s",
        target("A", "histogram_quantile(0.95, sum by (service, le) "
                    f"(rate(portal_upstream_request_duration_seconds_bucket[{RATE}])))", "{{service}}"),
        threshold=LATENCY_TARGET["identity"]))
    layout.add(timeseries(
        "Upstream errors by service", "Calls to a service that failed: unreachable, timeout, status_5xx.",
        "ops",
        target("A", f"sum by (service, reason) (rate(portal_upstream_errors_total[{RATE}]))",
               "{{service}} {{reason}}")))
    layout.add(timeseries(
        "Sessions open", "Signed-in sessions not expired.", "short",
        target("A", "max(portal_sessions_open)", "sessions")))
    layout.add(timeseries(
        "Throttled calls by rule", "Calls the gateway refused with 429, per throttle rule.", "ops",
        target("A", f"sum by (rule) (rate(portal_throttled_total[{RATE}]))", "{{rule}}")))
    layout.add(timeseries(
        "Settle timeouts",
        "Answers released at PORTAL_CONSISTENCY_TIMEOUT before their events were applied "
        "(PortalSettleTimeouts).", "ops",
        target("A", f"sum(rate(portal_settle_timeouts_total[{RATE}]))", "released unsettled")))


def overview_panels(layout: Layout) -> None:
    layout.add(timeseries(
        "Targets up", "Scraped processes answering, per job (web, gateway, workers).", "short",
        target("A", "sum by (job) (up)", "{{job}}")))
    layout.add(timeseries(
        "5xx share by component", "Share of server errors in each component's answers "
        "(PortalHighErrorRate past 1 %).", "percentunit",
        target("A", f'sum by (component) (rate(portal_http_requests_total{{status=~"5.."}}[{RATE}])) '
                    f"/ sum by (component) (rate(portal_http_requests_total[{RATE}]))", "{{component}}")))
    layout.add(timeseries(
        "p95 latency by component", "Each component's p95 (targets: services 100 ms, gateway 250 ms).", "s",
        target("A", "histogram_quantile(0.95, sum by (component, le) "
                    f"(rate(portal_http_request_duration_seconds_bucket[{RATE}])))", "{{component}}")))
    layout.add(timeseries(
        "Dead-lettered messages", "Messages parked in each dead-letter queue (PortalDeadLetters).", "short",
        target("A", 'max by (queue) (portal_queue_messages{queue=~".+[.]dead-letter"})', "{{queue}}")))


def dashboard() -> dict:
    layout = Layout()
    layout.row("Overview")
    overview_panels(layout)
    for name in SERVICES:
        layout.row(name)
        layout.component = name
        web_panels(layout, name)
        worker_panels(layout, name)
    layout.row("gateway")
    layout.component = "gateway"
    web_panels(layout, "gateway")
    gateway_panels(layout)
    worker_panels(layout, "gateway")
    return {
        "uid": UID, "title": "Client portal", "description": "Every component of the portal: its web "
        "process, its worker, its queue; the gateway's hops. Written by deploy/observability/render_dashboard.py.",
        "tags": ["portal"], "timezone": "utc", "editable": False, "graphTooltip": 1,
        "schemaVersion": 39, "version": 1, "refresh": "30s", "time": {"from": "now-3h", "to": "now"},
        "templating": {"list": [{"name": "datasource", "label": "Data source", "type": "datasource",
                                 "query": "prometheus", "current": {}, "hide": 0, "refresh": 1,
                                 "regex": "", "options": [], "includeAll": False, "multi": False}]},
        "annotations": {"list": [{"builtIn": 1, "name": "Annotations & Alerts", "type": "dashboard",
                                  "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                                  "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)"}]},
        "links": [], "panels": layout.panels,
    }


def text() -> str:
    return json.dumps(dashboard(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    if "--check" in argv:
        if not DASHBOARD.exists() or DASHBOARD.read_text() != text():
            print(f"stale, run python {Path(__file__).relative_to(HERE.parents[1])}", file=sys.stderr)
            return 1
        return 0
    DASHBOARD.write_text(text())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

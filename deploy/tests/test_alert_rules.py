"""The alert rules fire when they should and stay quiet when they should not: `promtool test rules`
on made-up series of the metrics the portal emits (deploy/observability/alerts.yml, its
annotations left out since promtool compares them word for word).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ALERTS = Path(__file__).resolve().parents[2] / "deploy" / "observability" / "alerts.yml"
JOBS = [f"{name}{role}" for name in ("identity", "catalog", "assets", "knowledge", "support",
                                     "notifications", "declarations", "gateway") for role in ("", "-worker")]


def histogram(name: str, labels: str, fast: int, slow: int, slower: int = 0, minutes: int = 40) -> list[dict]:
    """A latency histogram: each minute `fast` requests under 50 ms, `slow` of 100-250 ms and
    `slower` of 250 ms-1 s."""
    every = fast + slow + slower
    return [{"series": f'{name}_bucket{{{labels},le="{le}"}}', "values": f"0+{count}x{minutes}"}
            for le, count in (("0.05", fast), ("0.1", fast), ("0.25", fast + slow), ("1", every), ("+Inf", every))]


# (alert, its input series, when, the alerts expected then: their labels besides severity)
CASES = {
    "a process down for 2 minutes": (
        "PortalTargetDown", [{"series": 'up{job="catalog",instance="10.0.0.7:8102"}', "values": "1 1 0x10"},
                             {"series": 'up{job="identity",instance="10.0.0.8:8101"}', "values": "1x12"}],
        "6m", [{"job": "catalog", "instance": "10.0.0.7:8102"}]),
    "a process down for 1 minute only": (
        "PortalTargetDown", [{"series": 'up{job="catalog",instance="10.0.0.7:8102"}', "values": "1 1 0 1x10"}],
        "6m", []),
    "a job without any process": (
        "PortalComponentNotScraped",
        [{"series": f'up{{job="{job}",instance="x"}}', "values": "1x10"} for job in JOBS if job != "support-worker"],
        "8m", [{"job": "support-worker"}]),
    "5 % of catalog's answers are 500s": (
        "PortalHighErrorRate",
        [{"series": 'portal_http_requests_total{component="catalog",route="/catalog/services",method="GET",status="200"}',
          "values": "0+95x20"},
         {"series": 'portal_http_requests_total{component="catalog",route="/catalog/services",method="GET",status="500"}',
          "values": "0+5x20"},
         {"series": 'portal_http_requests_total{component="identity",route="/identity/me",method="GET",status="200"}',
          "values": "0+100x20"}],
        "15m", [{"component": "catalog"}]),
    "identity's p95 over 100 ms, the gateway's under 250 ms": (
        "PortalServiceSlow",
        histogram("portal_http_request_duration_seconds", 'component="identity",route="/identity/users",method="GET"', 80, 20)
        + histogram("portal_http_request_duration_seconds", 'component="catalog",route="/catalog/services",method="GET"', 100, 1)
        + histogram("portal_http_request_duration_seconds", 'component="gateway",route="/api/<path:rest>",method="GET"', 80, 20),
        "25m", [{"component": "identity"}]),
    "the gateway's p95 over its 250 ms target": (
        "PortalGatewaySlow",
        histogram("portal_http_request_duration_seconds", 'component="gateway",route="/api/<path:rest>",method="GET"', 70, 10, 20)
        + histogram("portal_http_request_duration_seconds", 'component="catalog",route="/catalog/services",method="GET"', 70, 10, 20),
        "25m", [{"component": "gateway"}]),
    "the gateway's p95 under its 250 ms target": (
        "PortalGatewaySlow",
        histogram("portal_http_request_duration_seconds", 'component="gateway",route="/api/<path:rest>",method="GET"', 80, 20),
        "25m", []),
    "the gateway times out on identity": (
        "PortalUpstreamErrors",
        [{"series": 'portal_upstream_errors_total{service="identity",reason="timeout"}', "values": "0+30x20"},
         {"series": 'portal_upstream_errors_total{service="catalog",reason="unreachable"}', "values": "0x20"}],
        "12m", [{"service": "identity", "reason": "timeout"}]),
    "support's relay stuck for minutes, two workers telling it": (
        "PortalOutboxBacklog",
        [{"series": 'portal_outbox_oldest_age_seconds{component="support",instance="a"}', "values": "0+60x10"},
         {"series": 'portal_outbox_oldest_age_seconds{component="support",instance="b"}', "values": "0+60x10"},
         {"series": 'portal_outbox_oldest_age_seconds{component="assets",instance="c"}', "values": "0.5x10"}],
        "5m", [{"component": "support"}]),
    "a parked event in notifications' dead-letter queue": (
        "PortalDeadLetters",
        [{"series": 'portal_queue_messages{queue="notifications.dead-letter",instance="a"}', "values": "0 0 3x5"},
         {"series": 'portal_queue_messages{queue="notifications.dead-letter",instance="b"}', "values": "0 0 3x5"},
         {"series": 'portal_queue_messages{queue="catalog.dead-letter",instance="a"}', "values": "0x7"},
         {"series": 'portal_queue_messages{queue="catalog.events",instance="a"}', "values": "50x7"}],
        "5m", [{"queue": "notifications.dead-letter"}]),
    "notifications' queue keeps growing; catalog's is deep but steady": (
        "PortalConsumerFallingBehind",
        [{"series": 'portal_queue_messages{queue="notifications.events",instance="a"}', "values": "0+20x60"},
         {"series": 'portal_queue_messages{queue="catalog.events",instance="a"}', "values": "500x60"},
         {"series": 'portal_queue_messages{queue="probe.events",instance="a"}', "values": "0+20x60"},
         {"series": 'portal_queue_messages{queue="assets.dead-letter",instance="a"}', "values": "0+20x60"}],
        "40m", [{"queue": "notifications.events"}]),
    "nothing consumes assets' queue": (
        "PortalQueueWithoutConsumer",
        [{"series": 'portal_queue_consumers{queue="assets.events",instance="a"}', "values": "1 0x10"},
         {"series": 'portal_queue_consumers{queue="catalog.events",instance="a"}', "values": "2x10"},
         {"series": 'portal_queue_consumers{queue="probe.events",instance="a"}', "values": "0x10"}],
        "8m", [{"queue": "assets.events"}]),
    "catalog keeps retrying an event": (
        "PortalEventsRetried",
        [{"series": 'portal_events_handled_total{component="catalog",event_type="identity.UserCreated",outcome="retried"}',
          "values": "0+30x30"},
         {"series": 'portal_events_handled_total{component="catalog",event_type="identity.UserCreated",outcome="handled"}',
          "values": "0+600x30"}],
        "25m", [{"component": "catalog", "event_type": "identity.UserCreated"}]),
    "answers released unsettled, minute after minute": (
        "PortalSettleTimeouts",
        [{"series": 'portal_settle_timeouts_total{instance="a"}', "values": "0+1x20"}],
        "12m", [{}]),
    "one answer released unsettled, then none": (
        "PortalSettleTimeouts",
        [{"series": 'portal_settle_timeouts_total{instance="a"}', "values": "0 1x20"}],
        "12m", []),
}


def severities() -> dict[str, str]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return {rule["alert"]: rule["labels"]["severity"] for group in groups for rule in group["rules"]}


def test_every_alert_has_a_case_that_fires():
    fired = {alert for alert, _, _, expected in CASES.values() if expected}
    assert fired == set(severities())


@pytest.mark.parametrize("case", CASES)
def test_the_alert_rule(case, tmp_path):
    alert, series, at, expected = CASES[case]
    rules = yaml.safe_load(ALERTS.read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            rule.pop("annotations", None)
    (tmp_path / "alerts.yml").write_text(yaml.safe_dump(rules))
    severity = severities()[alert]
    test = {"rule_files": ["alerts.yml"], "evaluation_interval": "1m",
            "tests": [{"interval": "1m", "input_series": series,
                       "alert_rule_test": [{"eval_time": at, "alertname": alert,
                                            "exp_alerts": [{"exp_labels": {**labels, "severity": severity}}
                                                           for labels in expected]}]}]}
    (tmp_path / "alerts_test.yml").write_text(yaml.safe_dump(test))
    binary = shutil.which("promtool")
    assert binary, "promtool is missing: deploy/install.sh --with-test installs it (Debian's prometheus)"
    result = subprocess.run([binary, "test", "rules", "alerts_test.yml"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

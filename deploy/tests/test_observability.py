"""The monitoring that deploy/observability/ ships agrees with the code: the alert rules and both
Prometheus configurations pass promtool, every query of the alerts and of the dashboard names only
metrics the code emits, the dashboard is valid Grafana JSON with a row per component, and the
Compose profile runs Prometheus and Grafana on what every container serves.
"""
from __future__ import annotations

import copy
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from portalkit.settings import DEFAULT_PORTS, SERVICES

ROOT = Path(__file__).resolve().parents[2]
OBSERVABILITY = ROOT / "deploy" / "observability"
COMPONENTS = (*SERVICES, "gateway")
METRICS_PORT = "9100"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"observability_{name}", OBSERVABILITY / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


names = load("metric_names")


def promtool(*args: str) -> subprocess.CompletedProcess:
    binary = shutil.which("promtool")
    assert binary, "promtool is missing: deploy/install.sh --with-test installs it (Debian's prometheus)"
    return subprocess.run([binary, *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def dashboard() -> dict:
    return json.loads(names.DASHBOARD.read_text())


def emitted() -> set[str]:
    """What the code exposes, as the metrics engineer's two functions tell, and Prometheus's `up`."""
    from gateway import metrics as gateway_metrics
    from portalkit import metrics as portal_metrics
    return portal_metrics.emitted_names() | gateway_metrics.emitted_names() | {"up"}


# -- promtool ---------------------------------------------------------------------------------

def test_the_alert_rules_pass_promtool_and_a_broken_rule_does_not(tmp_path):
    result = promtool("check", "rules", str(names.ALERTS))
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "alerts.yml"
    broken.write_text(names.ALERTS.read_text().replace("up == 0", "up == == 0", 1))
    assert promtool("check", "rules", str(broken)).returncode != 0


def test_the_compose_prometheus_config_passes_promtool():
    result = promtool("check", "config", str(OBSERVABILITY / "prometheus.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_kubernetes_prometheus_config_passes_promtool(tmp_path):
    # Debian's promtool is built without Kubernetes discovery: the same file with its discovery
    # swapped for a static target, so that everything else (relabelling, rules) is checked.
    config = yaml.safe_load((OBSERVABILITY / "prometheus-kubernetes.yml").read_text())
    for job in config["scrape_configs"]:
        if job.pop("kubernetes_sd_configs", None) is not None:
            job["static_configs"] = [{"targets": ["pod.portal:9100"]}]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    shutil.copy(names.ALERTS, tmp_path / "alerts.yml")
    result = promtool("check", "config", str(tmp_path / "prometheus.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_dashboard_query_parses(tmp_path, dashboard):
    # promtool parses expressions in rule files: each query becomes a recording rule.
    rules = [{"record": f"dashboard:query_{index}",
              "expr": expr.replace("$__rate_interval", "1m")}
             for index, (_, expr) in enumerate(names.dashboard_expressions(dashboard))]
    path = tmp_path / "dashboard-rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = promtool("check", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


# -- the metric names -------------------------------------------------------------------------

@pytest.mark.parametrize("expr, expected", [
    ('histogram_quantile(0.95, sum by (component, le) (rate(a_bucket{component!="gateway"}[10m]))) > 0.1',
     {"a_bucket"}),
    ('sum(rate(a_total{status=~"5.."}[$__rate_interval])) by (status) / ignoring(job) group_left b offset 5m',
     {"a_total", "b"}),
    ('deriv(max by (queue) (q{queue=~".+[.]events"})[15m:1m]) > 0 and on (queue) max without (job) (r) > 1e-3',
     {"q", "r"}),
    ('{__name__="named", job="x"} + absent(up{job="x"}) or vector(1) unless bool inf', {"named", "up"}),
    ('count_values("le", m) + topk(5, n) * 0x1f', {"m", "n"}),
])
def test_the_tokenizer_finds_metric_names_only(expr, expected):
    assert names.metric_names(expr) == expected


@pytest.mark.parametrize("expr", ["sum(rate(a[5m])", "a]", '{__name__=~"portal_.+"}'])
def test_the_tokenizer_refuses_what_it_cannot_read(expr):
    with pytest.raises(names.UnreadableQuery):
        names.metric_names(expr)


def read_names(dashboard: dict) -> dict[str, set[str]]:
    queries = [*names.alert_expressions(), *names.dashboard_expressions(dashboard)]
    return {where: names.metric_names(expr) for where, expr in queries}


def test_every_query_names_only_metrics_the_code_emits(dashboard):
    known = emitted()
    unknown = {where: sorted(found - known) for where, found in read_names(dashboard).items() if found - known}
    assert not unknown, f"queries read metrics nothing emits: {unknown}"


def _family(name: str) -> str:
    return re.sub(r"(_total|_bucket|_sum|_count|_created)$", "", name)


def test_the_dashboard_shows_every_metric_of_the_portal(dashboard):
    shown = {_family(name) for found in read_names(dashboard).values() for name in found}
    missing = sorted(name for name in emitted() if name.startswith("portal_") and _family(name) not in shown)
    assert not missing, f"emitted but on no panel: {missing}"


def test_the_check_catches_a_query_of_a_metric_nobody_emits(dashboard):
    misspelt = copy.deepcopy(dashboard)
    misspelt["panels"][1]["targets"][0]["expr"] = "sum(rate(portal_http_requests_totl[5m]))"
    found = set().union(*read_names(misspelt).values())
    assert found - emitted() == {"portal_http_requests_totl"}


# -- the dashboard ----------------------------------------------------------------------------

def test_the_dashboard_is_the_rendered_one():
    render = subprocess.run([sys.executable, str(OBSERVABILITY / "render_dashboard.py"), "--check"],
                            capture_output=True, text=True)
    assert render.returncode == 0, render.stderr


def test_the_dashboard_is_valid_grafana_json(dashboard):
    assert isinstance(dashboard["schemaVersion"], int) and dashboard["schemaVersion"] >= 36
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,40}", dashboard["uid"]) and dashboard["title"]
    variables = {variable["name"]: variable for variable in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    panels = list(names.panels(dashboard))
    assert len({panel["id"] for panel in panels}) == len(panels), "panel ids are unique"
    cells = set()
    for panel in panels:
        grid = panel["gridPos"]
        assert grid["x"] >= 0 and grid["w"] > 0 and grid["x"] + grid["w"] <= 24 and grid["h"] > 0
        covered = {(x, y) for x in range(grid["x"], grid["x"] + grid["w"])
                   for y in range(grid["y"], grid["y"] + grid["h"])}
        assert not covered & cells, f"panel {panel['title']!r} overlaps another"
        cells |= covered
        if panel["type"] != "row":
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
            assert panel["targets"] and all(target["datasource"] == panel["datasource"]
                                            for target in panel["targets"])
            refs = [target["refId"] for target in panel["targets"]]
            assert len(set(refs)) == len(refs)


def rows(dashboard: dict) -> dict[str, list[dict]]:
    """Each row's title and the panels under it (Grafana's layout: the panels after a row)."""
    found: dict[str, list[dict]] = {}
    current = None
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            current = found.setdefault(panel["title"], list(panel.get("panels", ())))
        elif current is not None:
            current.append(panel)
    return found


WEB_AND_WORKER = {"portal_http_requests_total", "portal_http_request_duration_seconds_bucket",
                  "portal_http_requests_in_flight", "portal_events_handled_total",
                  "portal_event_handling_duration_seconds_bucket", "portal_outbox_backlog",
                  "portal_outbox_oldest_age_seconds", "portal_queue_messages"}
GATEWAY = {"portal_upstream_request_duration_seconds_bucket", "portal_upstream_errors_total",
           "portal_sessions_open", "portal_throttled_total", "portal_settle_timeouts_total"}


@pytest.mark.parametrize("name", COMPONENTS)
def test_every_component_has_its_row(dashboard, name):
    row = rows(dashboard).get(name)
    assert row, f"no row {name!r} in the dashboard"
    exprs = [target["expr"] for panel in row for target in panel["targets"]]
    shown = set().union(*(names.metric_names(expr) for expr in exprs))
    assert WEB_AND_WORKER | (GATEWAY if name == "gateway" else set()) <= shown
    # Each of the row's own series is that component's (or its queue's), never another's.
    for expr in exprs:
        assert (f'component="{name}"' in expr or f'"{name}.events"' in expr or f'"{name}[.]' in expr
                or names.metric_names(expr) <= GATEWAY), expr


# -- Compose: the profile and what Prometheus scrapes there -----------------------------------

def render_compose(*options: str) -> dict:
    spec = importlib.util.find_spec("compose")
    binary = Path(spec.origin).parent / "docker-compose"
    env = {"PATH": "/usr/bin:/bin", "PORTAL_IDENTITY_SECRET": "test-secret", "PORTAL_SECRET_KEY": "test-key",
           "PORTAL_ASSETS_SIGNING_KEYS": "k1:test-signing-key",
           "PORTAL_DECLARATIONS_SIGNING_KEYS": "k1:test-signing-key", "PORTAL_DECLARATIONS_PARTNER_TOKEN": "test-token"}
    result = subprocess.run([str(binary), "-f", str(ROOT / "docker-compose.yml"), *options, "config",
                             "--format", "json"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["services"]


@pytest.fixture(scope="module")
def observed() -> dict:
    return render_compose("--profile", "observability")


def test_the_profile_is_optional_and_pins_its_images(observed):
    assert not {"prometheus", "grafana"} & set(render_compose())
    for name in ("prometheus", "grafana"):
        assert observed[name]["profiles"] == ["observability"]
        image, _, tag = observed[name]["image"].partition(":")
        assert re.fullmatch(r"v?\d+\.\d+\.\d+", tag), f"{name}'s image is not pinned: {observed[name]['image']}"
        assert all(port["host_ip"] == "127.0.0.1" for port in observed[name]["ports"])


def mounts(service: dict) -> dict[str, Path]:
    return {volume["target"]: Path(volume["source"]) for volume in service["volumes"] if volume["type"] == "bind"}


def test_prometheus_and_grafana_read_the_files_of_deploy_observability(observed):
    prometheus = mounts(observed["prometheus"])
    assert prometheus["/etc/prometheus/prometheus.yml"] == OBSERVABILITY / "prometheus.yml"
    assert prometheus["/etc/prometheus/alerts.yml"] == names.ALERTS
    assert "--config.file=/etc/prometheus/prometheus.yml" in observed["prometheus"]["command"]
    grafana = mounts(observed["grafana"])
    provisioning = grafana["/etc/grafana/provisioning"]
    source = yaml.safe_load((provisioning / "datasources" / "prometheus.yml").read_text())["datasources"][0]
    assert source["type"] == "prometheus" and source["url"] == "http://prometheus:9090"
    provider = yaml.safe_load((provisioning / "dashboards" / "portal.yml").read_text())["providers"][0]
    assert grafana[provider["options"]["path"]] == names.DASHBOARD.parent
    home = observed["grafana"]["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert home == f"{provider['options']['path']}/{names.DASHBOARD.name}"


def scrape_jobs() -> dict[str, tuple[str, str]]:
    config = yaml.safe_load((OBSERVABILITY / "prometheus.yml").read_text())
    assert config["rule_files"] == ["alerts.yml"]
    jobs = {}
    for job in config["scrape_configs"]:
        for dns in job.get("dns_sd_configs", ()):
            assert dns["type"] == "A" and job.get("metrics_path", "/metrics") == "/metrics"
            jobs[job["job_name"]] = (dns["names"][0], str(dns["port"]))
    return jobs


def test_prometheus_scrapes_every_container_where_it_serves_metrics(observed):
    expected = {}
    for name in COMPONENTS:
        web, worker = observed[name]["environment"], observed[f"{name}-worker"]["environment"]
        # A service's web process serves /metrics on its own port; the gateway's master on its own.
        web_port = web["PORTAL_METRICS_PORT"] if name == "gateway" else web["GUNICORN_BIND"].rsplit(":", 1)[1]
        assert web_port == (METRICS_PORT if name == "gateway" else str(DEFAULT_PORTS[name]))
        assert worker["PORTAL_METRICS_PORT"] == METRICS_PORT
        expected[name] = (name, web_port)
        expected[f"{name}-worker"] = (f"{name}-worker", METRICS_PORT)
    assert scrape_jobs() == expected


def test_an_alert_tells_of_every_job_that_has_no_target():
    absent = dict(names.alert_expressions())["PortalComponentNotScraped"]
    assert set(re.findall(r'absent\(up\{job="([^"]+)"\}\)', absent)) == set(scrape_jobs())


def test_the_dashboard_draws_the_alerts_latency_targets():
    targets = load("render_dashboard").LATENCY_TARGET
    rules = dict(names.alert_expressions())
    threshold = {alert: float(re.search(r">\s*([\d.]+)\s*$", rules[alert]).group(1))
                 for alert in ("PortalServiceSlow", "PortalGatewaySlow")}
    assert {targets[name] for name in SERVICES} == {threshold["PortalServiceSlow"]}
    assert targets["gateway"] == threshold["PortalGatewaySlow"]

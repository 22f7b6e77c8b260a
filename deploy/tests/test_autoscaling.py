"""The Kubernetes manifests scale every component and let Prometheus find every pod: a CPU
HorizontalPodAutoscaler per web Deployment, a KEDA ScaledObject per worker on its own queue, and
scrape annotations that deploy/observability/prometheus-kubernetes.yml turns into the right target.
A component without its autoscaler fails check_scaling.py, and so check.sh.
"""
from __future__ import annotations

import copy
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from portalkit.settings import DEFAULT_PORTS, SERVICES
from portalkit.topology import queue_name

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
COMPONENTS = (*SERVICES, "gateway")


def load(path: Path):
    spec = importlib.util.spec_from_file_location(f"k8s_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


scaling = load(K8S / "check_scaling.py")


@pytest.fixture(scope="module")
def documents() -> list[dict]:
    return scaling.load(scaling.applied_files())


def test_the_applied_manifests_scale_and_expose_every_component(documents):
    assert scaling.problems(documents) == []
    assert K8S / "keda.yaml" in scaling.applied_files()


def without(documents: list[dict], kind: str, name: str) -> list[dict]:
    kept = [document for document in documents
            if (document.get("kind"), document.get("metadata", {}).get("name")) != (kind, name)]
    assert len(kept) == len(documents) - 1
    return kept


@pytest.mark.parametrize("name", COMPONENTS)
def test_a_component_without_its_autoscalers_fails_the_check(documents, name):
    assert f"Deployment {name}: no HorizontalPodAutoscaler" in scaling.problems(
        without(documents, "HorizontalPodAutoscaler", name))
    assert f"Deployment {name}-worker: no KEDA ScaledObject" in scaling.problems(
        without(documents, "ScaledObject", f"{name}-worker"))


def changed(documents: list[dict], kind: str, name: str, change) -> list[dict]:
    documents = copy.deepcopy(documents)
    for document in documents:
        if (document.get("kind"), document["metadata"]["name"]) == (kind, name):
            change(document)
    return documents


def test_the_check_refuses_what_would_not_scale(documents):
    def no_cpu_request(deployment):
        del deployment["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"]

    def other_queue(scaler):
        scaler["spec"]["triggers"][0]["metadata"]["queueName"] = "identity.events"

    def to_zero(scaler):
        scaler["spec"]["minReplicaCount"] = 0

    def fixed_replicas(deployment):
        deployment["spec"]["replicas"] = 2

    def no_annotations(deployment):
        del deployment["spec"]["template"]["metadata"]["annotations"]

    cases = [("Deployment", "catalog", no_cpu_request, "Deployment catalog: container web requests no CPU"),
             ("ScaledObject", "support-worker", other_queue, "ScaledObject support-worker: not on its queue support.events"),
             ("ScaledObject", "notifications-worker", to_zero, "ScaledObject notifications-worker: needs 1 <= minReplicaCount"),
             ("Deployment", "assets", fixed_replicas, "Deployment assets: sets replicas"),
             ("Deployment", "gateway-worker", no_annotations, "Deployment gateway-worker: its pods do not ask to be scraped")]
    for kind, name, change, problem in cases:
        found = scaling.problems(changed(documents, kind, name, change))
        assert any(line.startswith(problem) for line in found), (problem, found)


def test_the_workers_scale_on_their_own_queue_with_the_workers_broker(documents):
    scalers = {d["metadata"]["name"]: d for d in documents if d["kind"] == "ScaledObject"}
    assert set(scalers) == {f"{name}-worker" for name in COMPONENTS}
    for name in COMPONENTS:
        trigger = scalers[f"{name}-worker"]["spec"]["triggers"][0]
        assert trigger["metadata"]["queueName"] == queue_name(name)
    # notifications' worker sends a mail per event: it scales sooner, and further.
    assert (scalers["notifications-worker"]["spec"]["maxReplicaCount"]
            > max(scalers[f"{name}-worker"]["spec"]["maxReplicaCount"] for name in SERVICES if name != "notifications"))
    secret = yaml.safe_load((K8S / "secret.example.yaml").read_text())
    assert "PORTAL_BROKER_URL" in secret["stringData"]


def test_check_sh_passes():
    env = {**os.environ, "VENV": str(Path(sys.prefix))}
    result = subprocess.run([str(K8S / "check.sh")], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every component's web and worker scale and are scraped" in result.stdout


# -- Prometheus on Kubernetes: its relabelling applied to the pods the manifests make ----------

def expand(replacement: str, match: re.Match) -> str:
    return re.sub(r"\$(\d+)|\$\{(\w+)\}", lambda m: match.group(int(m.group(1) or m.group(2))) or "", replacement)


def relabel(labels: dict[str, str], rules: list[dict]) -> dict[str, str] | None:
    """Prometheus's relabelling (replace, keep, drop; anchored regexes), enough for this file."""
    labels = dict(labels)
    for rule in rules:
        value = rule.get("separator", ";").join(labels.get(name, "") for name in rule.get("source_labels", ()))
        match = re.fullmatch(rule.get("regex", "(.*)"), value)
        action = rule.get("action", "replace")
        if action == "keep" and not match or action == "drop" and match:
            return None
        if action == "replace" and match:
            result = expand(rule.get("replacement", "$1"), match)
            if result:
                labels[rule["target_label"]] = result
            else:
                labels.pop(rule["target_label"], None)
    return labels


def pod_targets(pod: dict, ip: str = "10.0.0.7") -> list[dict[str, str]]:
    """What Kubernetes discovery (role: pod) gives for a running pod: one target per declared port."""
    meta = pod["metadata"]
    common = {"__meta_kubernetes_namespace": "portal", "__meta_kubernetes_pod_name": "pod-1",
              "__meta_kubernetes_pod_phase": "Running", "__metrics_path__": "/metrics"}
    for key, value in (meta.get("labels") or {}).items():
        common["__meta_kubernetes_pod_label_" + re.sub(r"\W", "_", key)] = value
    for key, value in (meta.get("annotations") or {}).items():
        common["__meta_kubernetes_pod_annotation_" + re.sub(r"\W", "_", key)] = value
    ports = [port["containerPort"] for c in pod["spec"]["containers"] for port in c.get("ports", ())]
    return [{**common, "__address__": f"{ip}:{port}", "__meta_kubernetes_pod_container_port_number": str(port)}
            for port in ports] or [{**common, "__address__": ip}]


def scraped(pod: dict) -> set[tuple[str, str, str]]:
    config = yaml.safe_load((ROOT / "deploy" / "observability" / "prometheus-kubernetes.yml").read_text())
    [job] = [job for job in config["scrape_configs"] if "kubernetes_sd_configs" in job]
    assert job["kubernetes_sd_configs"][0]["namespaces"]["names"] == ["portal"]
    found = set()
    for target in pod_targets(pod):
        labels = relabel(target, job["relabel_configs"])
        if labels is not None:
            found.add((labels.get("job", job["job_name"]), labels["__address__"], labels["__metrics_path__"]))
    return found


@pytest.mark.parametrize("name", COMPONENTS)
def test_prometheus_finds_each_web_and_worker_pod_on_its_metrics_port(documents, name):
    deployments = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Deployment"}
    web_port = 9100 if name == "gateway" else DEFAULT_PORTS[name]
    assert scraped(deployments[name]["spec"]["template"]) == {(name, f"10.0.0.7:{web_port}", "/metrics")}
    assert scraped(deployments[f"{name}-worker"]["spec"]["template"]) == {
        (f"{name}-worker", "10.0.0.7:9100", "/metrics")}


def test_prometheus_leaves_the_migration_jobs_alone():
    for job in yaml.safe_load_all((K8S / "migrations" / "jobs.yaml").read_text()):
        assert scraped(job["spec"]["template"]) == set()

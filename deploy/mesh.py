"""Run the whole mesh as local processes: migrate, seed, start every service, worker, the gateway
and the SMTP sink, wait until each answers, and stop them all together.

``make up`` runs ``python deploy/mesh.py up``; the integration tests and the benchmarks drive the
same ``Mesh`` class, so what is tested is what a newcomer runs.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("identity", "catalog", "assets", "knowledge", "support", "notifications", "declarations")
PORT_OFFSETS = {"gateway": 0, "identity": 101, "catalog": 102, "assets": 103, "knowledge": 104,
                "support": 105, "notifications": 106, "declarations": 107, "smtp": 25,
                # The SIMULATED EDI partner declarations transmits to (declarations.simulated_partner).
                "edi-partner": 108,
                # Where the gateway's gunicorn master and each worker serve /metrics (internal).
                "gateway-metrics": 110, **{f"{name}-worker": 111 + index
                                           for index, name in enumerate((*SERVICES, "gateway"))}}
DEMO = {
    "operator": ("operator@portal.localhost", "Operator-Portal-2026!"),
    "administrator": ("admin@demo.localhost", "Demo-Admin-2026!"),
    "user": ("user@demo.localhost", "Demo-User-2026!"),
}


# The Etafi declarative portal's demo account: its own login, at /declarations/signin.
DECLARATIVE_DEMO = ("demo.declarant", "Liasse-Demo-2026!")
OWN_PASSWORD = "(the password you set)"


def sign_ins(env: dict) -> list[tuple[str, str, str]]:
    """The sign-ins ``make up`` prints, from the environment identity runs with (``environment()``):
    the operator in force, whose password is shown only if it is the demo one, then the demo people."""
    email = env["PORTAL_BOOTSTRAP_OPERATOR_EMAIL"]
    password = env["PORTAL_BOOTSTRAP_OPERATOR_PASSWORD"]
    password = password if password == DEMO["operator"][1] else OWN_PASSWORD
    return [("operator", email, password), *((role, *DEMO[role]) for role in DEMO if role != "operator")]


def sign_in_lines(env: dict, var_dir: Path) -> list[str]:
    lines = [f"  {role:<14} {email:<28} {password}" for role, email, password in sign_ins(env)]
    lines.append(f"  {'declarant':<14} {DECLARATIVE_DEMO[0]:<28} {DECLARATIVE_DEMO[1]}   (login at /declarations/signin)")
    return lines + [f"  (identity creates that operator only if {var_dir} holds none yet: an earlier one stays)"]


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


@dataclass
class Mesh:
    """The processes of one mesh, on ports ``port_base + offset`` and state under ``var_dir``."""

    var_dir: Path
    port_base: int = 8000
    env: dict = field(default_factory=dict)
    echo: bool = False
    processes: dict = field(default_factory=dict)

    def __post_init__(self):
        self.var_dir = Path(self.var_dir).resolve()
        (self.var_dir / "log").mkdir(parents=True, exist_ok=True)
        self.ports = {name: self.port_base + offset for name, offset in PORT_OFFSETS.items()}
        self.base_url = f"http://127.0.0.1:{self.ports['gateway']}"

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    def environment(self) -> dict:
        env = {**os.environ, **self.env}
        # Empty counts as unset, as identity reads it: else an exported empty value bootstraps no one.
        for name, default in zip(("PORTAL_BOOTSTRAP_OPERATOR_EMAIL", "PORTAL_BOOTSTRAP_OPERATOR_PASSWORD"),
                                 DEMO["operator"]):
            env[name] = env.get(name) or default
        env.update({
            "PORTAL_VAR_DIR": str(self.var_dir), "PORT": str(self.ports["gateway"]),
            "PORTAL_BASE_URL": env.get("PORTAL_BASE_URL") or self.base_url,
            "PORTAL_SMTP_PORT": str(self.ports["smtp"]), "PORTAL_MAIL_DIR": str(self.mail_dir),
            "PYTHONUNBUFFERED": "1",
        })
        for service in SERVICES:
            env[f"PORTAL_{service.upper()}_URL"] = f"http://127.0.0.1:{self.ports[service]}"
        # declarations transmits to the mesh's simulated partner unless told of another one.
        env["PORTAL_DECLARATIONS_PARTNER_URL"] = (env.get("PORTAL_DECLARATIONS_PARTNER_URL")
                                                  or f"http://127.0.0.1:{self.ports['edi-partner']}")
        return env

    # -- metrics (portalkit.metrics) -----------------------------------------------------------
    @property
    def metrics_urls(self) -> dict[str, str]:
        """Where each process's metrics are read: a service's web port, the gateway's master's
        port, each worker's port (``identity-worker``…)."""
        urls = {name: f"http://127.0.0.1:{self.ports[name]}/metrics" for name in SERVICES}
        urls["gateway"] = f"http://127.0.0.1:{self.ports['gateway-metrics']}/metrics"
        for name in (*SERVICES, "gateway"):
            urls[f"{name}-worker"] = f"http://127.0.0.1:{self.ports[f'{name}-worker']}/metrics"
        return urls

    def multiproc_dir(self, name: str) -> Path:
        """The gunicorn deployment's PROMETHEUS_MULTIPROC_DIR (its master empties it at start)."""
        return self.var_dir / "metrics" / name

    def metrics_environment(self, name: str) -> dict:
        """The environment of process ``name``: a gunicorn deployment adds up its workers' values
        in its own folder; the gateway's master and each worker serve on a port of their own."""
        env = self.environment()
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        env.pop("PORTAL_METRICS_PORT", None)
        env["PORTAL_METRICS_ADDRESS"] = "127.0.0.1"
        if name in (*SERVICES, "gateway"):
            env["PROMETHEUS_MULTIPROC_DIR"] = str(self.multiproc_dir(name))
        if name == "gateway":
            env["PORTAL_METRICS_PORT"] = str(self.ports["gateway-metrics"])
        elif name.endswith("-worker"):
            env["PORTAL_METRICS_PORT"] = str(self.ports[name])
        return env

    # -- preparing ---------------------------------------------------------------------------
    def prepare(self, demo: bool = True) -> None:
        """Migrate every database, load the catalog and (optionally) the demo data."""
        env = self.environment()
        self._run([[_bin("portal-migrate"), *SERVICES, "gateway"]], env)
        # Two databases, two processes at once: each spends most of its time importing.
        loads = [[sys.executable, "-m", "catalog.seed"]]
        if demo:
            loads.append([sys.executable, "-m", "identity.demo"])
        self._run(loads, env)

    def _run(self, commands: list[list[str]], env: dict) -> None:
        """Run ``commands`` side by side; fail with the output of the first that fails."""
        running = [(command, subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                              stderr=subprocess.PIPE, text=True)) for command in commands]
        failures = []
        for command, process in running:
            stdout, stderr = process.communicate()
            if process.returncode != 0:
                failures.append(f"{' '.join(command)} failed:\n{stdout}\n{stderr}")
        if failures:
            raise RuntimeError(failures[0])

    # -- running -----------------------------------------------------------------------------
    def commands(self) -> dict[str, list[str]]:
        gunicorn = [_bin("gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
        commands = {"smtp": [sys.executable, "-m", "notifications.mailsink"],
                    "edi-partner": [sys.executable, "-m", "declarations.simulated_partner",
                                    "--bind", f"127.0.0.1:{self.ports['edi-partner']}"]}
        for name in (*SERVICES, "gateway"):
            commands[name] = [*gunicorn, "-b", f"127.0.0.1:{self.ports[name]}", f"{name}.app:create_app()"]
            commands[f"{name}-worker"] = [sys.executable, "-m", f"{name}.worker"]
        return commands

    def start(self, timeout: float = 60) -> None:
        for name in self.commands():
            self.start_process(name)
        self.wait_ready(timeout)

    def start_process(self, name: str) -> subprocess.Popen:
        log = open(self.var_dir / "log" / f"{name}.log", "ab")
        process = subprocess.Popen(self.commands()[name], env=self.metrics_environment(name), cwd=ROOT,
                                   stdout=subprocess.PIPE if self.echo else log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        if self.echo:
            threading.Thread(target=_echo, args=(name, process, log), daemon=True).start()
        self.processes[name] = process
        return process

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        pending = [name for name in (*SERVICES, "gateway", "edi-partner")]
        while pending:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}; see {self.var_dir}/log/{name}.log")
            pending = [name for name in pending if not _answers(f"http://127.0.0.1:{self.ports[name]}/health")]
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"not ready after {timeout}s: {', '.join(pending)}")
            time.sleep(0.2)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop(self, grace: float = 15) -> None:
        """SIGTERM every process, and SIGKILL those still running ``grace`` seconds later."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def _echo(name: str, process: subprocess.Popen, log) -> None:
    for line in iter(process.stdout.readline, b""):
        log.write(line)
        log.flush()
        sys.stdout.write(f"{name:>22} | {line.decode(errors='replace')}")
        sys.stdout.flush()


def _logs_for_a_person() -> None:
    """``make up`` is watched at a terminal: plain text lines, unless PORTAL_LOG_FORMAT says
    otherwise. Every process's lines also land in ``var/log/<process>.log``."""
    if not os.environ.get("PORTAL_LOG_FORMAT"):
        os.environ["PORTAL_LOG_FORMAT"] = "text"


def up(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description="Run the whole portal in the foreground.")
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo data")
    args = parser.parse_args(argv)
    _logs_for_a_person()
    mesh = Mesh(var_dir=os.environ.get("PORTAL_VAR_DIR", ROOT / "var"),
                port_base=int(os.environ.get("PORT", "8000")), echo=True)
    print("Migrating and seeding…", flush=True)
    mesh.prepare(demo=not args.no_demo)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        mesh.start()
        broker = os.environ.get("PORTAL_BROKER_URL", "filesystem:// (embedded)")
        print(f"\nThe portal is up: {mesh.base_url}   (bus: {broker.split('@')[-1]})")
        print(f"Mails land in {mesh.mail_dir}")
        print(f"Metrics: each service's port /metrics, the gateway's at {mesh.metrics_urls['gateway']}, "
              f"the workers' at ports {mesh.ports['identity-worker']}–{mesh.ports['gateway-worker']}")
        print("\n".join(sign_in_lines(mesh.environment(), mesh.var_dir)))
        print("Ctrl-C stops everything.\n", flush=True)
        while not stopping.wait(1):
            for name, process in mesh.processes.items():
                if process.poll() is not None:
                    print(f"{name} exited with {process.returncode}; stopping.", flush=True)
                    stopping.set()
    except KeyboardInterrupt:
        pass
    finally:
        print("\nStopping…", flush=True)
        mesh.stop()


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["up"]
    if command != "up":
        sys.exit(f"unknown command {command!r}; usage: mesh.py up [--no-demo]")
    up(rest)

"""Sign-in throughput through the gateway against the raw argon2id verify rate, in one run.

The raw rate: as many threads as cores verifying a hash of identity's own parameters (argon2-cffi
releases the GIL). The sign-in rate: wrk posting the demo user's credentials to
``/api/auth/login`` (gateway → identity check, audit, session). Target: ratio ≥ 0.8.

This machine's speed drifts by about ±10 % within a minute, so the raw rate is measured right
before and right after each sign-in run and the ratio taken against their mean. Each run also
tells the CPU that identity's and the gateway's web processes spent per sign-in (from /proc),
which is where the gap to the raw rate goes.

A third run, the floor, replaces identity by ``bare_identity.py`` (the hash and nothing else,
under the same gunicorn) on RabbitMQ + PostgreSQL: how near the raw rate the gateway, gunicorn
and the hash alone let a sign-in come on this machine, whatever identity does.
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from common import Mesh, embedded_env, real_backend, running_mesh, save

HERE = Path(__file__).resolve().parent

SECONDS, CONNECTIONS = 10, 12
REPORT = r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BODY")
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %.3f, "non2xx": %d, "p50": %.3f, "p95": %.3f, "p99": %.3f}\n',
    summary.requests, summary.duration / 1e6, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def raw_verify_rate(seconds: float = SECONDS) -> float:
    from identity.passwords import HASHER
    encoded = HASHER.hash("Demo-User-2026!")
    counts = []
    deadline = time.monotonic() + seconds

    def work():
        n = 0
        while time.monotonic() < deadline:
            HASHER.verify(encoded, "Demo-User-2026!")
            n += 1
        counts.append(n)
    threads = [threading.Thread(target=work) for _ in range(os.cpu_count() or 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds


def _cpu_ms(pgid: int) -> float:
    """CPU time (user + system) of every live process of a process group, in ms."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total * 1000 / os.sysconf("SC_CLK_TCK")


class BareIdentityMesh(Mesh):
    """The mesh with ``bare_identity:app`` serving identity's port."""

    def commands(self) -> dict[str, list[str]]:
        commands = super().commands()
        gunicorn = commands["identity"][:-1]  # gunicorn, its settings, the bind; not the app
        commands["identity"] = [*gunicorn, "--pythonpath", f"{HERE},{HERE.parent / 'deploy'}", "bare_identity:app"]
        return commands


def sign_ins(env: dict, port_base: int, mesh_class: type[Mesh] = Mesh) -> dict:
    from mesh import DEMO
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "login.lua"
        script.write_text(REPORT)
        threads = os.environ.get("GUNICORN_THREADS", "8")  # GUNICORN_WORKERS passes through too
        with running_mesh(Path(folder) / "var", port_base, {**env, "GUNICORN_THREADS": threads},
                          mesh_class=mesh_class) as mesh:
            time.sleep(10)  # the demo data's events and mails are handled: measure a settled mesh
            body = json.dumps({"email": DEMO["user"][0], "password": DEMO["user"][1]})
            groups = {name: mesh.processes[name].pid for name in ("identity", "gateway")}  # own sessions
            before = {name: _cpu_ms(pgid) for name, pgid in groups.items()}
            output = subprocess.run(
                ["wrk", "-t", "1", "-c", str(CONNECTIONS), "-d", f"{SECONDS}s", "-s", str(script),
                 f"{mesh.base_url}/api/auth/login"], env={**os.environ, "BODY": body},
                capture_output=True, text=True, check=True).stdout
            run = json.loads(output.strip().splitlines()[-1])
            cpu = {name: round((_cpu_ms(pgid) - before[name]) / max(run["requests"], 1), 2)
                   for name, pgid in groups.items()}
    return {"sign_ins_per_s": round(run["requests"] / run["seconds"], 1), "non_2xx": run["non2xx"],
            "latency_ms": {k: run[k] for k in ("p50", "p95", "p99")}, "cpu_ms_per_sign_in": cpu}


def against_raw(env: dict, port_base: int, mesh_class: type[Mesh] = Mesh) -> dict:
    """A sign-in run between two raw runs, and its ratio to their mean."""
    raw_before = raw_verify_rate()
    run = sign_ins(env, port_base, mesh_class)
    raw_after = raw_verify_rate()
    raw = (raw_before + raw_after) / 2
    return {**run, "raw_argon2id_verifies_per_s": [round(raw_before, 1), round(raw_after, 1)],
            "ratio": round(run["sign_ins_per_s"] / raw, 3)}


def main() -> dict:
    # Production's transport first (RabbitMQ + PostgreSQL: nothing polls), then the embedded
    # default, whose idle workers poll their outbox and bus folder and take some CPU.
    with real_backend() as backend:
        real = against_raw(backend.env(), 29300)
        floor = against_raw(backend.env(), 29700, BareIdentityMesh)
    embedded = against_raw(embedded_env(), 29400)
    result = {"rabbitmq_postgresql": real, "embedded": embedded, "floor_bare_identity": floor,
              "ratio": real["ratio"], "ratio_embedded": embedded["ratio"], "ratio_floor": floor["ratio"],
              "target_ratio": ">= 0.8"}
    save("sign_in", result)
    return result


if __name__ == "__main__":
    main()

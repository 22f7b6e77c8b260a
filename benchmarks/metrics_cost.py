"""What counting costs a request: identity with the metrics hook (``portalkit.metrics.install``,
multiprocess mode as under gunicorn in production) and without it (``identity_without_metrics.py``),
same database, in one run, on ``GET /identity/me`` (signed identity, one database read: a real
endpoint) and ``GET /health`` (nothing but the framework: the hook at its most visible).

Two measures. In one process, both apps called as WSGI in alternating batches, timed in CPU
time (``time.process_time``): what the hook costs, immune to the machine's other load. Over
HTTP, both under the same gunicorn side by side, wrk (C, keep-alive) alternating short phases
with the order flipped each round: throughput and p50/p95/p99, one connection and four — on a
shared machine these wander by tens of percent between phases, hence the first measure.
Target: the hook adds ≤ 50 µs of CPU to a request (measured on /health, where nothing else
varies; on /identity/me it is the same hook, lost in the endpoint's own variation).
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from common import ROOT, embedded_env, save
from gateway_overhead import REPORT, _summarise

HERE = Path(__file__).resolve().parent
ROUNDS, PHASE_SECONDS = 4, 3
LATENCY_CONNECTIONS, THROUGHPUT_CONNECTIONS = 1, 4
PORTS = {"with": 29201, "without": 29202}
APPS = {"with": "identity.app:create_app()", "without": "identity_without_metrics:create_app()"}


def _gunicorn(side: str, env: dict, var: Path) -> subprocess.Popen:
    env = {**env, "PROMETHEUS_MULTIPROC_DIR": str(var / "metrics" / side), "GUNICORN_WORKERS": "1",
           "GUNICORN_THREADS": "8"}
    command = [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
               "-b", f"127.0.0.1:{PORTS[side]}", "--pythonpath", str(HERE), APPS[side]]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wrk(url: str, headers: dict, script: Path, connections: int) -> dict:
    command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{PHASE_SECONDS}s", "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["throughput"] = result["requests"] / result["seconds"]
    return result


def _worker_of(master: int) -> int:
    """The one gunicorn worker of ``master`` (GUNICORN_WORKERS=1)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            return int(stat.parent.name)
    raise RuntimeError(f"gunicorn {master} has no worker")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer")
        time.sleep(0.2)


IN_PROCESS_ROUNDS = 12
IN_PROCESS_BATCH = {"me": 200, "health": 1000}


def in_process(var: str, signed: str, first: str) -> dict:
    """CPU microseconds per request of each app, called as WSGI in this process (run in a child
    whose PROMETHEUS_MULTIPROC_DIR is set before the client library is imported).

    ``first`` names the app built first: of two identical apps in one process the first answers
    /identity/me some 40 µs slower (seen with both without the hook), so ``main`` runs both orders.
    """
    import io
    from portalkit import metrics, signed_identity as si
    from identity.app import create_app

    def plain():
        install, metrics.install = metrics.install, lambda app, component, serve=True: None
        try:
            return create_app()
        finally:
            metrics.install = install

    if first == "with":
        apps = {"with": create_app(), "without": plain()}
    else:
        apps = {"without": plain(), "with": create_app()}
    environs = {"me": ("/identity/me", {"HTTP_" + si.HEADER.upper().replace("-", "_"): signed}),
                "health": ("/health", {})}

    def call(app, path, extra):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
                   "SERVER_PORT": "8101", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
                   "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.multithread": True,
                   "wsgi.multiprocess": False, "wsgi.run_once": False, "REMOTE_ADDR": "127.0.0.1", **extra}
        status = []
        body = b"".join(app(environ, lambda line, headers, exc_info=None: status.append(line)))
        assert status[0].startswith("200"), (status, body)

    result = {}
    for endpoint, (path, extra) in environs.items():
        times = {"with": [], "without": []}
        for app in apps.values():  # warm: connections, caches, the label children
            for _ in range(20):
                call(app, path, extra)
        for round_ in range(IN_PROCESS_ROUNDS):
            for side in (("with", "without") if round_ % 2 == 0 else ("without", "with")):
                started = time.process_time()
                for _ in range(IN_PROCESS_BATCH[endpoint]):
                    call(apps[side], path, extra)
                times[side].append((time.process_time() - started) / IN_PROCESS_BATCH[endpoint] * 1e6)
        with_, without = statistics.median(times["with"]), statistics.median(times["without"])
        result[endpoint] = {"cpu_us_with": round(with_, 1), "cpu_us_without": round(without, 1),
                            "added_cpu_us": round(with_ - without, 1), "cpu_ratio": round(with_ / without, 3)}
    return result


def _in_process_both_orders(var: Path, signed: str, env: dict) -> dict:
    orders = []
    for first in ("with", "without"):
        child = subprocess.run([sys.executable, __file__, "in-process", str(var), signed, first], capture_output=True,
                               text=True, check=True, cwd=ROOT, timeout=600, env={
                                   **env, "PROMETHEUS_MULTIPROC_DIR": str(var / "metrics" / f"in-process-{first}")})
        orders.append(json.loads(child.stdout.strip().splitlines()[-1]))
    result = {}
    for endpoint in orders[0]:
        with_ = statistics.fmean(order[endpoint]["cpu_us_with"] for order in orders)
        without = statistics.fmean(order[endpoint]["cpu_us_without"] for order in orders)
        result[endpoint] = {"cpu_us_with": round(with_, 1), "cpu_us_without": round(without, 1),
                            "added_cpu_us": round(with_ - without, 1), "cpu_ratio": round(with_ / without, 3),
                            "added_cpu_us_by_order": [order[endpoint]["added_cpu_us"] for order in orders]}
    return result


def main() -> dict:
    from portalkit import signed_identity as si
    with tempfile.TemporaryDirectory() as folder:
        var = Path(folder) / "var"
        env = {**os.environ, **embedded_env(), "PORTAL_VAR_DIR": str(var)}
        env.pop("PORTAL_METRICS_PORT", None)
        subprocess.run([str(Path(sys.executable).parent / "portal-migrate"), "identity"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-m", "identity.demo"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        servers = {side: _gunicorn(side, env, var) for side in PORTS}
        try:
            for port in PORTS.values():
                _wait(f"http://127.0.0.1:{port}/health")
            from sqlalchemy import create_engine, text
            engine = create_engine(f"sqlite:///{var / 'identity.db'}")
            with engine.connect() as connection:
                user_id, company_id = connection.execute(text(
                    "SELECT id, company_id FROM users WHERE company_id IS NOT NULL LIMIT 1")).one()
            engine.dispose()
            signed = si.sign(si.Identity(user_id=user_id, company_id=company_id, language="en"),
                             (var / "identity-secret").read_text().strip(), ttl=3600)
            script = Path(folder) / "report.lua"
            script.write_text(REPORT)
            endpoints = {"me": ("/identity/me", {si.HEADER: signed}), "health": ("/health", {})}
            for path, headers in endpoints.values():  # both sides answer alike before timing
                answers = [requests.get(f"http://127.0.0.1:{port}{path}", headers=headers, timeout=10)
                           for port in PORTS.values()]
                assert [a.status_code for a in answers] == [200, 200] and answers[0].json() == answers[1].json()
            assert requests.get(f"http://127.0.0.1:{PORTS['without']}/metrics", timeout=10).status_code == 404
            cpu = _in_process_both_orders(var, signed, env)
            workers = {side: _worker_of(server.pid) for side, server in servers.items()}
            runs = {}
            for endpoint, (path, headers) in endpoints.items():
                for connections in (LATENCY_CONNECTIONS, THROUGHPUT_CONNECTIONS):
                    for round_ in range(ROUNDS):
                        for side in (("with", "without") if round_ % 2 == 0 else ("without", "with")):
                            before = _cpu_seconds(workers[side])
                            run = wrk(f"http://127.0.0.1:{PORTS[side]}{path}", headers, script, connections)
                            run["cpu_seconds"] = _cpu_seconds(workers[side]) - before
                            runs.setdefault((endpoint, connections, side), []).append(run)
            counted = requests.get(f"http://127.0.0.1:{PORTS['with']}/metrics", timeout=10).text
            assert 'route="/identity/me"' in counted
        finally:
            for server in servers.values():
                server.terminate()
                server.wait(timeout=30)
    result = {"in_process_cpu": cpu}
    for (endpoint, connections, side), results in runs.items():
        result[f"{endpoint}_{side}_{connections}conn"] = {
            **_summarise(results), "cpu_ms_per_request": round(
                1000 * sum(r["cpu_seconds"] for r in results) / sum(r["requests"] for r in results), 3)}
    for endpoint in endpoints:
        for connections in (LATENCY_CONNECTIONS, THROUGHPUT_CONNECTIONS):
            with_, without = runs[(endpoint, connections, "with")], runs[(endpoint, connections, "without")]
            name = f"{endpoint}_{connections}conn"
            result[f"{name}_throughput_ratio"] = round(statistics.median(
                a["throughput"] / b["throughput"] for a, b in zip(with_, without)), 3)
            result[f"{name}_cpu_ratio"] = round(
                result[f"{endpoint}_with_{connections}conn"]["cpu_ms_per_request"]
                / result[f"{endpoint}_without_{connections}conn"]["cpu_ms_per_request"], 3)
            result[f"{name}_added_p50_ms"] = round(statistics.median(
                a["p50"] - b["p50"] for a, b in zip(with_, without)), 3)
    result["targets"] = {"in_process_cpu.health.added_cpu_us": "<= 50"}
    save("metrics_cost", result)
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    if sys.argv[1:2] == ["in-process"]:
        print(json.dumps(in_process(*sys.argv[2:5])))
    else:
        main()

"""Opening support requests through the gateway, and the time from each 201 to the requester's mail
handed to SMTP (the sink's file), on RabbitMQ + PostgreSQL (``--embedded`` for the default mesh).

The demo administrator gets a maintenance contract and "Request service", then ``--clients``
threads open ``--requests`` requests in all (JSON, no attachment). Reported: requests per second,
the answers' p50/p95/p99, and the 201 → mail p50/p95/p99 (the mail's time is the moment the sink
wrote it). Target: mail p99 <= 2 s on RabbitMQ.

    .venv/bin/python benchmarks/support_opening.py [--requests 200] [--clients 4] [--embedded]
"""
from __future__ import annotations

import argparse
import email
import email.policy
import re
import tempfile
import threading
import time
from pathlib import Path

import requests

from common import demo_administrator_holding, embedded_env, percentiles, real_backend, running_mesh, save

NUMBER = re.compile(r"SR-\d{4}-\d{6}")


def measure(mesh, total: int, clients: int) -> dict:
    base = mesh.base_url
    administrator = demo_administrator_holding(mesh, "Request service")
    token = administrator.headers["Authorization"]
    answered: dict[str, float] = {}
    durations: list[float] = []
    lock = threading.Lock()
    per_client = total // clients

    def client():
        session = requests.Session()
        session.headers["Authorization"] = token
        for n in range(per_client):
            started = time.perf_counter()
            answer = session.post(f"{base}/api/support/requests", timeout=30, json={
                "subject": f"Benchmark request {n}", "description": "Opened by the benchmark.", "severity": "minor"})
            done_at = time.time()
            assert answer.status_code == 201, answer.text
            with lock:
                durations.append((time.perf_counter() - started) * 1000)
                answered[answer.json()["number"]] = done_at

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    mailed = _mail_times(Path(mesh.mail_dir), set(answered), deadline=time.monotonic() + 60)
    delays = [(mailed[number] - at) * 1000 for number, at in answered.items() if number in mailed]
    return {"requests": len(answered), "clients": clients, "requests_per_second": round(len(answered) / wall, 1),
            "answer_ms": percentiles(durations), "answer_to_mail_ms": percentiles(delays),
            "mails_missing": len(answered) - len(delays)}


def _mail_times(folder: Path, numbers: set[str], deadline: float) -> dict[str, float]:
    """When the sink wrote each request's "registered" mail (its file's modification time)."""
    found: dict[str, float] = {}
    seen: set[Path] = set()
    while len(found) < len(numbers) and time.monotonic() < deadline:
        for path in folder.glob("*.eml"):
            if path in seen:
                continue
            seen.add(path)
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            match = NUMBER.search(str(message.get("Subject", "")))
            if match and match.group(0) in numbers and "registered" in str(message["Subject"]):
                found[match.group(0)] = path.stat().st_mtime
        time.sleep(0.2)
    return found


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--embedded", action="store_true")
    args = parser.parse_args(argv)
    results = {}
    if args.embedded:
        with tempfile.TemporaryDirectory() as folder:
            with running_mesh(Path(folder) / "var", 29300, embedded_env()) as mesh:
                results["embedded"] = measure(mesh, args.requests, args.clients)
    else:
        with real_backend() as backend, tempfile.TemporaryDirectory() as folder:
            with running_mesh(Path(folder) / "var", 29400, backend.env()) as mesh:
                results["rabbitmq"] = measure(mesh, args.requests, args.clients)
    results["target"] = "201 -> mail p99 <= 2000 ms on RabbitMQ"
    save("support_opening", results)
    return results


if __name__ == "__main__":
    main()

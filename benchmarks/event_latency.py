"""Commit-to-handler latency of an event at 100 events/s, p50/p95/p99, per transport.

A publisher process commits ProbeSent events (outbox + relay, as a service does) at a steady
rate; a consumer worker process handles them and records, per event, the time from the commit to
its handler. Targets: p99 ≤ 50 ms on RabbitMQ.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time

from sqlalchemy import create_engine, text

from common import embedded_env, percentiles, real_backend, save

RATE, SECONDS = 100, 20


def measure(env: dict, database_url: str) -> dict:
    env = {**os.environ, **env, "PORTAL_PROBE_DATABASE_URL": database_url}
    run = [sys.executable, "-m", "portalkit.probe"]
    subprocess.run([*run, "init"], env=env, check=True)
    consumer = subprocess.Popen([*run, "consume"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        time.sleep(3)  # connected and idle
        subprocess.run([*run, "publish", "bench", str(RATE * SECONDS), str(RATE)], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        engine = create_engine(database_url)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                if connection.execute(text("SELECT count(*) FROM effects")).scalar() >= RATE * SECONDS:
                    break
            time.sleep(0.2)
        with engine.connect() as connection:
            samples = connection.execute(text("SELECT latency_ms FROM effects")).scalars().all()
        engine.dispose()
    finally:
        os.killpg(consumer.pid, signal.SIGTERM)
        consumer.wait(timeout=15)
    return {"rate_per_s": RATE, **percentiles(list(samples))}


def main() -> dict:
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["embedded"] = measure({**embedded_env(), "PORTAL_VAR_DIR": f"{folder}/var"},
                                      f"sqlite:///{folder}/probe.db")
    with real_backend() as backend:
        env = backend.env()
        url = env["PORTAL_DATABASE_URL"].replace("{service}", "probe")
        from portalkit.migrations import ensure_database
        ensure_database(url)
        with tempfile.TemporaryDirectory() as folder:
            results["rabbitmq"] = measure({**env, "PORTAL_VAR_DIR": f"{folder}/var"}, url)
    save("event_latency", results)
    return results


if __name__ == "__main__":
    main()

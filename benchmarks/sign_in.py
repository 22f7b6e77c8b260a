"""Sign-in throughput through the gateway against the raw argon2id verify rate, in one run.

The raw rate: as many threads as cores verifying a hash of identity's own parameters (argon2-cffi
releases the GIL). The sign-in rate: wrk posting the demo user's credentials to
``/api/auth/login`` (gateway → identity check, audit, session). Target: ratio ≥ 0.8.
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from common import embedded_env, real_backend, running_mesh, save

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


def sign_ins(env: dict, port_base: int) -> dict:
    from mesh import DEMO
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "login.lua"
        script.write_text(REPORT)
        threads = os.environ.get("GUNICORN_THREADS", "8")  # GUNICORN_WORKERS passes through too
        with running_mesh(Path(folder) / "var", port_base, {**env, "GUNICORN_THREADS": threads}) as mesh:
            time.sleep(10)  # the demo data's events and mails are handled: measure a settled mesh
            body = json.dumps({"email": DEMO["user"][0], "password": DEMO["user"][1]})
            output = subprocess.run(
                ["wrk", "-t", "1", "-c", str(CONNECTIONS), "-d", f"{SECONDS}s", "-s", str(script),
                 f"{mesh.base_url}/api/auth/login"], env={**os.environ, "BODY": body},
                capture_output=True, text=True, check=True).stdout
    run = json.loads(output.strip().splitlines()[-1])
    return {"sign_ins_per_s": round(run["requests"] / run["seconds"], 1), "non_2xx": run["non2xx"],
            "latency_ms": {k: run[k] for k in ("p50", "p95", "p99")}}


def main() -> dict:
    # Production's transport first (RabbitMQ + PostgreSQL: nothing polls), then the embedded
    # default, whose idle workers poll their outbox and bus folder and take some CPU.
    with real_backend() as backend:
        real = sign_ins(backend.env(), 29300)
    raw = raw_verify_rate()
    embedded = sign_ins(embedded_env(), 29400)
    result = {"raw_argon2id_verifies_per_s": round(raw, 1), "rabbitmq_postgresql": real, "embedded": embedded,
              "ratio": round(real["sign_ins_per_s"] / raw, 3),
              "ratio_embedded": round(embedded["sign_ins_per_s"] / raw, 3), "target_ratio": ">= 0.8"}
    save("sign_in", result)
    return result


if __name__ == "__main__":
    main()

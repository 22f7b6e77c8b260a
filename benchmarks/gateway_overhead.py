"""The same JSON read through the gateway and straight to the service, in one run.

``GET /api/identity/me`` through the gateway (bearer token: session lookup, entitlements, signed
identity, pooled hop) against ``GET /identity/me`` sent straight to identity with an identity the
benchmark signs itself. wrk (C, keep-alive) drives both, alternating phases so that drift hits
both sides: one connection for the latency the hop adds (no queueing), eight connections for the
throughput at saturation. Targets: throughput ratio ≥ 0.6, added p50 ≤ 1 ms.
"""
from __future__ import annotations

import json
import subprocess
import time
import tempfile
from pathlib import Path

import requests

from common import embedded_env, running_mesh, save

PHASE_SECONDS, THREADS, ROUNDS = 6, 1, 3
LATENCY_CONNECTIONS, THROUGHPUT_CONNECTIONS = 1, 8
REPORT = r"""
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %.3f, "errors": %d, "p50": %.3f, "p95": %.3f, "p99": %.3f}\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def wrk(url: str, headers: dict, script: Path, connections: int) -> dict:
    command = ["wrk", "-t", str(THREADS), "-c", str(connections), "-d", f"{PHASE_SECONDS}s", "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["throughput"] = result["requests"] / result["seconds"]
    return result


def _summarise(results: list[dict]) -> dict:
    return {"throughput_rps": round(sum(r["requests"] for r in results) / sum(r["seconds"] for r in results), 1),
            "p50_ms": sorted(r["p50"] for r in results)[len(results) // 2],
            "p95_ms": max(r["p95"] for r in results), "p99_ms": max(r["p99"] for r in results),
            "errors": sum(r["errors"] for r in results)}


def main() -> dict:
    from portalkit import signed_identity as si
    from mesh import DEMO
    with tempfile.TemporaryDirectory() as folder:
        var = Path(folder) / "var"
        with running_mesh(var, 29000, {**embedded_env(), "GUNICORN_THREADS": "8"}) as mesh:
            time.sleep(10)  # the demo data's events and mails are handled: measure a settled mesh
            login = requests.post(f"{mesh.base_url}/api/auth/login", timeout=10,
                                  json={"email": DEMO["user"][0], "password": DEMO["user"][1]}).json()
            user = login["user"]
            secret = (var / "identity-secret").read_text().strip()
            signed = si.sign(si.Identity(user_id=user["id"], company_id=user["company"]["id"],
                                         language=user["language"]), secret, ttl=3600)
            script = Path(folder) / "report.lua"
            script.write_text(REPORT)
            via_gateway = (f"{mesh.base_url}/api/identity/me", {"Authorization": f"Bearer {login['token']}"})
            direct = (f"http://127.0.0.1:{mesh.ports['identity']}/identity/me", {si.HEADER: signed})
            for url, headers in (via_gateway, direct):  # both answer the same JSON before timing
                assert requests.get(url, headers=headers, timeout=10).json() == user | requests.get(
                    url, headers=headers, timeout=10).json()
            runs = {}
            for connections in (LATENCY_CONNECTIONS, THROUGHPUT_CONNECTIONS):
                for _ in range(ROUNDS):
                    for side, (url, headers) in (("direct", direct), ("gateway", via_gateway)):
                        runs.setdefault((connections, side), []).append(wrk(url, headers, script, connections))
    summary = {f"{side}_{connections}conn": _summarise(results) for (connections, side), results in runs.items()}
    one, many = f"{LATENCY_CONNECTIONS}conn", f"{THROUGHPUT_CONNECTIONS}conn"
    result = {
        **summary,
        "throughput_ratio": summary[f"gateway_{many}"]["throughput_rps"] / summary[f"direct_{many}"]["throughput_rps"],
        "added_p50_ms": summary[f"gateway_{one}"]["p50_ms"] - summary[f"direct_{one}"]["p50_ms"],
        "added_p99_ms": summary[f"gateway_{one}"]["p99_ms"] - summary[f"direct_{one}"]["p99_ms"],
        "targets": {"throughput_ratio": ">= 0.6", "added_p50_ms": "<= 1"},
    }
    save("gateway_overhead", result)
    return result


if __name__ == "__main__":
    main()

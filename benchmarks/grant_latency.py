"""An administrator's accept and cancel, and the user's very next request, through the gateway.

Over 200 grants of "User Management - Administration" to one user (asked for, accepted, the user's
next request; then cancelled, the next request again), on RabbitMQ + PostgreSQL and on the
embedded default. The answers are held until their events are applied (portalkit.consistency):
measured are the accept's and the cancellation's answer times, the share of them spent holding
(the gateway's ``Server-Timing: settle``), and how many next requests still saw the old rights.
Targets: none does (0 of 200 each way); accept p99 ≤ 1 s on RabbitMQ.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import requests

from common import embedded_env, percentiles, real_backend, running_mesh, save, signed_in

GRANTS = 200
DEADLINE = 10.0


def _until(session: requests.Session, url: str, status: int) -> float:
    started = time.monotonic()
    while time.monotonic() - started < DEADLINE:
        if session.get(url, timeout=10).status_code == status:
            return (time.monotonic() - started) * 1000
    raise TimeoutError(f"{url} never answered {status}")


def measure(mesh) -> dict:
    from mesh import DEMO
    base = mesh.base_url
    administrator = signed_in(base, *DEMO["administrator"])
    user = signed_in(base, *DEMO["user"])
    users_list = f"{base}/api/identity/users"
    _until(administrator, users_list, 200)  # the demo administrator's own right has arrived
    offer = user.get(f"{base}/api/catalog/services?q=Administration", timeout=10).json()["items"]
    service_id = next(s["id"] for s in offer if s["code"] == "user-management-administration")
    accept_ms, accept_held, cancel_ms, cancel_held = [], [], [], []
    stale_grants = stale_withdrawals = 0
    for _ in range(GRANTS):
        asked = user.post(f"{base}/api/catalog/subscriptions", json={"service_id": service_id}, timeout=10).json()
        started = time.perf_counter()
        accepted = administrator.post(f"{base}/api/catalog/requests/{asked['id']}/accept", json={}, timeout=10)
        accept_ms.append((time.perf_counter() - started) * 1000)
        assert accepted.status_code == 200, accepted.text
        accept_held.append(_held(accepted))
        stale_grants += user.get(users_list, timeout=10).status_code != 200
        started = time.perf_counter()
        cancelled = administrator.delete(f"{base}/api/catalog/subscriptions/{asked['id']}", timeout=10)
        cancel_ms.append((time.perf_counter() - started) * 1000)
        assert cancelled.status_code == 204, cancelled.text
        cancel_held.append(_held(cancelled))
        stale_withdrawals += user.get(users_list, timeout=10).status_code != 403
    return {"grants": GRANTS, "accept_ms": percentiles(accept_ms), "accept_held_ms": percentiles(accept_held),
            "cancel_ms": percentiles(cancel_ms), "cancel_held_ms": percentiles(cancel_held),
            "held_share_p50": round(sorted(accept_held)[GRANTS // 2] / sorted(accept_ms)[GRANTS // 2], 2),
            "next_request_saw_old_rights": {"after_accept": stale_grants, "after_cancel": stale_withdrawals},
            "held_past_the_timeout": _late_warnings(mesh)}


def _late_warnings(mesh) -> list[str]:
    """The gateway's own account of answers it passed on before their events were applied."""
    log = Path(mesh.var_dir) / "log" / "gateway.log"
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return [line[:300] for line in lines if "passed on before" in line or "could not tell" in line][:10]


def _held(response) -> float:
    """The ``settle`` duration of the gateway's Server-Timing header, ms (0 when nothing was held)."""
    for part in response.headers.get("Server-Timing", "").split(","):
        name, _, duration = part.strip().partition(";dur=")
        if name == "settle":
            return float(duration)
    return 0.0


def main() -> dict:
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        with running_mesh(Path(folder) / "var", 29100, embedded_env()) as mesh:
            results["embedded"] = measure(mesh)
    with real_backend() as backend, tempfile.TemporaryDirectory() as folder:
        with running_mesh(Path(folder) / "var", 29200, backend.env()) as mesh:
            results["rabbitmq"] = measure(mesh)
    results["target"] = "no next request sees the old rights; rabbitmq accept p99 <= 1000 ms"
    save("grant_latency", results)
    return results


if __name__ == "__main__":
    main()

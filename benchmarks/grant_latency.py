"""From an administrator's accept (HTTP 200) to the user's first request the gateway lets through.

Over 200 grants of "User Management - Administration" to one user (asked for, accepted, measured,
then cancelled and measured again until refused), on RabbitMQ + PostgreSQL and on the embedded
default. Targets: p99 ≤ 1 s on RabbitMQ.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import requests

from common import embedded_env, percentiles, real_backend, running_mesh, save

GRANTS = 200
DEADLINE = 10.0


def _signed_in(base_url: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    token = session.post(f"{base_url}/api/auth/login", json={"email": email, "password": password},
                         timeout=10).json()["token"]
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def _until(session: requests.Session, url: str, status: int) -> float:
    started = time.monotonic()
    while time.monotonic() - started < DEADLINE:
        if session.get(url, timeout=10).status_code == status:
            return (time.monotonic() - started) * 1000
    raise TimeoutError(f"{url} never answered {status}")


def measure(mesh) -> dict:
    from mesh import DEMO
    base = mesh.base_url
    administrator = _signed_in(base, *DEMO["administrator"])
    user = _signed_in(base, *DEMO["user"])
    users_list = f"{base}/api/identity/users"
    _until(administrator, users_list, 200)  # the demo administrator's own right has arrived
    offer = user.get(f"{base}/api/catalog/services?q=Administration", timeout=10).json()["items"]
    service_id = next(s["id"] for s in offer if s["code"] == "user-management-administration")
    granted, withdrawn = [], []
    for _ in range(GRANTS):
        asked = user.post(f"{base}/api/catalog/subscriptions", json={"service_id": service_id}, timeout=10).json()
        accepted = administrator.post(f"{base}/api/catalog/requests/{asked['id']}/accept", json={}, timeout=10)
        assert accepted.status_code == 200, accepted.text
        granted.append(_until(user, users_list, 200))
        cancelled = administrator.delete(f"{base}/api/catalog/subscriptions/{asked['id']}", timeout=10)
        assert cancelled.status_code == 204, cancelled.text
        withdrawn.append(_until(user, users_list, 403))
    return {"grants": GRANTS, "grant_ms": percentiles(granted), "withdrawal_ms": percentiles(withdrawn)}


def main() -> dict:
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        with running_mesh(Path(folder) / "var", 29100, embedded_env()) as mesh:
            results["embedded"] = measure(mesh)
    with real_backend() as backend, tempfile.TemporaryDirectory() as folder:
        with running_mesh(Path(folder) / "var", 29200, backend.env()) as mesh:
            results["rabbitmq"] = measure(mesh)
    results["target"] = "rabbitmq grant p99 <= 1000 ms"
    save("grant_latency", results)
    return results


if __name__ == "__main__":
    main()

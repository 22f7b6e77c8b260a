"""What the benchmarks share: percentiles, a running mesh, the real backend, and the report."""
from __future__ import annotations

import json
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "deploy"))
from meshtools import RealBackend  # noqa: E402
from mesh import Mesh  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    if not ordered:
        return {"n": 0}

    def at(q):
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    return {"n": len(ordered), "p50": at(0.50), "p95": at(0.95), "p99": at(0.99),
            "mean": statistics.fmean(ordered)}


@contextmanager
def real_backend():
    backend = RealBackend()
    try:
        yield backend
    finally:
        backend.close()


@contextmanager
def running_mesh(var_dir: Path, port_base: int, env: dict | None = None, demo: bool = True,
                 mesh_class: type[Mesh] = Mesh):
    mesh = mesh_class(var_dir=var_dir, port_base=port_base, env=env or {})
    try:
        mesh.prepare(demo=demo)
        mesh.start()
        yield mesh
    finally:
        mesh.stop()


def embedded_env() -> dict:
    return {"PORTAL_BROKER_URL": "filesystem://", "PORTAL_DATABASE_URL": ""}


def signed_in(base_url: str, address: str, password: str) -> requests.Session:
    """A session through the gateway carrying ``address``'s bearer token."""
    session = requests.Session()
    answer = session.post(f"{base_url}/api/auth/login", json={"email": address, "password": password}, timeout=10)
    answer.raise_for_status()
    session.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return session


def demo_administrator_holding(mesh, title: str, timeout: float = 60) -> requests.Session:
    """The demo administrator, their company under a maintenance contract, holding the catalog's
    service ``title`` (accepted at once: an administrator's own request). The demo is loaded before
    the mesh starts, so assets and catalog learn the company over the bus: each step is retried
    until its precondition has arrived, or ``timeout``."""
    from mesh import DEMO
    base = mesh.base_url
    env = mesh.environment()
    operator = signed_in(base, env["PORTAL_BOOTSTRAP_OPERATOR_EMAIL"], env["PORTAL_BOOTSTRAP_OPERATOR_PASSWORD"])
    administrator = signed_in(base, *DEMO["administrator"])
    deadline = time.monotonic() + timeout

    def until(step, what: str):
        while (outcome := step()) is None:
            if time.monotonic() > deadline:
                raise TimeoutError(what)
            time.sleep(0.2)
        return outcome

    company_id = until(lambda: (administrator.get(f"{base}/api/identity/me", timeout=10).json().get("company")
                                or {}).get("id"), "the demo administrator has no company")

    def contract():
        answer = operator.post(f"{base}/api/operator/contracts", timeout=10,
                               json={"company_id": company_id, "starts_on": "2026-01-01"})
        return answer if answer.status_code == 201 else None
    until(contract, "no maintenance contract: assets never knew the demo company")

    def offered():
        offer = administrator.get(f"{base}/api/catalog/services", params={"q": title, "per_page": 200},
                                  timeout=10).json()["items"]
        return next((service for service in offer if service["title"] == title), None)
    service = until(offered, f"{title!r} never offered")
    granted = administrator.post(f"{base}/api/catalog/subscriptions", json={"service_id": service["id"]}, timeout=10)
    assert granted.status_code == 201 and granted.json()["status"] == "accepted", granted.text
    return administrator


def save(name: str, result: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


def fmt_ms(value: float) -> str:
    return f"{value:.2f} ms"


os.environ.setdefault("PYTHONUNBUFFERED", "1")

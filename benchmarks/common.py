"""What the benchmarks share: percentiles, a running mesh, the real backend, and the report."""
from __future__ import annotations

import json
import os
import statistics
import sys
from contextlib import contextmanager
from pathlib import Path

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


def save(name: str, result: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


def fmt_ms(value: float) -> str:
    return f"{value:.2f} ms"


os.environ.setdefault("PYTHONUNBUFFERED", "1")

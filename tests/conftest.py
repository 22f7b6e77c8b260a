"""The real mesh for integration and browser tests, on each backend.

``mesh`` runs once per backend: ``embedded`` (SQLite files and the broker-less bus) and
``rabbitmq-postgresql``. The latter comes from testcontainers when a Docker engine answers, else
from the servers at PORTAL_TEST_BROKER_URL / PORTAL_TEST_DATABASE_URL; when neither is there it
is skipped — unless PORTAL_REQUIRE_REAL_BROKER=1 (CI), which turns the skip into a failure.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from meshtools import Mesh, RealBackend, RunningMesh, free_port_base  # noqa: E402
from mesh import PORT_OFFSETS  # noqa: E402

BACKENDS = ("embedded", "rabbitmq-postgresql")
# Every test calls from 127.0.0.1, like a whole office behind one address: the gateway's limits
# per client address are lifted for the suite (those per account still hold).
ONE_CLIENT_ADDRESS = {f"PORTAL_RATE_LIMIT_{name}_ADDRESS": "none"
                      for name in ("SIGN_IN", "FORGOT", "ACTIVATION", "RESET")}


@pytest.fixture(scope="session", params=BACKENDS)
def mesh(request, tmp_path_factory):
    backend = request.param
    real = None
    # Whatever the developer's shell says, the embedded mesh uses SQLite and the folder bus.
    env = {"PORTAL_BROKER_URL": "filesystem://", "PORTAL_DATABASE_URL": ""}
    if backend != "embedded":
        try:
            real = RealBackend()
        except Exception as error:  # noqa: BLE001 - reported as skip or failure below
            if os.environ.get("PORTAL_REQUIRE_REAL_BROKER") == "1":
                pytest.fail(f"RabbitMQ + PostgreSQL required but unavailable: {error}")
            pytest.skip(f"RabbitMQ + PostgreSQL unavailable: {error}")
        env = real.env()
    running = Mesh(var_dir=tmp_path_factory.mktemp(f"mesh-{backend}"),
                   port_base=free_port_base(PORT_OFFSETS.values()), env={**env, **ONE_CLIENT_ADDRESS})
    try:
        running.prepare(demo=True)
        running.start()
        yield RunningMesh(running, backend, real)
    finally:
        running.stop()
        if real is not None:
            real.close()

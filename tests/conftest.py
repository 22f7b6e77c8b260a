"""The real mesh for integration and browser tests, on each backend.

``mesh`` runs once per backend: ``embedded`` (SQLite files and the broker-less bus) and
``rabbitmq-postgresql``. The latter comes from testcontainers when a Docker engine answers, else
from the servers at PORTAL_TEST_BROKER_URL / PORTAL_TEST_DATABASE_URL; when neither is there it
is skipped — unless PORTAL_REQUIRE_REAL_BROKER=1 (CI), which turns the skip into a failure.
"""
from __future__ import annotations

import contextlib
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from meshtools import Mesh, RunningMesh, free_port_base, real_backend  # noqa: E402
from mesh import PORT_OFFSETS  # noqa: E402

BACKENDS = ("embedded", "rabbitmq-postgresql")
# Every test calls from 127.0.0.1, like a whole office behind one address: the gateway's limits
# per client address are lifted for the suite (those per account still hold).
ONE_CLIENT_ADDRESS = {f"PORTAL_RATE_LIMIT_{name}_ADDRESS": "none"
                      for name in ("SIGN_IN", "FORGOT", "ACTIVATION", "RESET", "ACCESS_REQUEST")}
# Updates larger than the portal's 8 MB JSON limit go through, and a test can pass this one.
RELEASE_MAX_BYTES = {"PORTAL_ASSETS_RELEASE_MAX_BYTES": str(12 * 1024 * 1024)}
# The declarations tests deposit the sample, of the 2024 campaign (past by the default).
# and the simulated EDI partner answers for the administration at once (no delay to wait out).
DECLARATION_CAMPAIGNS = {"PORTAL_DECLARATIONS_CAMPAIGNS": "2024,2025,2026", "PORTAL_EDI_SIMULATION_DELAY": "0"}
# The transmission's loops turn fast: a deposit is answered within a second or so (tests poll for
# it: the API says queued/sent/taken until then).
DECLARATION_TRANSMISSION = {"PORTAL_DECLARATIONS_POLL_INTERVAL": "0.2", "PORTAL_DECLARATIONS_LOOP_INTERVAL": "0.1",
                            "PORTAL_DECLARATIONS_RETRY_BASE": "0.5"}


def _file_store(backend: str, stack: contextlib.ExitStack) -> dict:
    """The embedded mesh keeps files in its folder; the production-like one in S3 — moto's real
    S3-speaking server (portalkit.testing_s3), a bucket of its own."""
    if backend == "embedded":
        return {"PORTAL_FILESTORE_URL": ""}
    from portalkit.testing_s3 import s3_server
    server = stack.enter_context(s3_server())
    bucket = f"portal-{uuid.uuid4().hex[:12]}"
    server.make_bucket(bucket)
    return server.environment(bucket, "files")


@pytest.fixture(scope="session", params=BACKENDS)
def mesh(request, tmp_path_factory):
    backend = request.param
    real = None
    # Whatever the developer's shell says, the embedded mesh uses SQLite and the folder bus.
    # Its logs are JSON lines, which tests read (tests/integration/test_following_a_request.py).
    env = {"PORTAL_BROKER_URL": "filesystem://", "PORTAL_DATABASE_URL": "", "PORTAL_LOG_FORMAT": "json"}
    if backend != "embedded":
        real = real_backend()
        env = {**real.env(), "PORTAL_LOG_FORMAT": "json"}
    stack = contextlib.ExitStack()
    files = _file_store(backend, stack)
    running = Mesh(var_dir=tmp_path_factory.mktemp(f"mesh-{backend}"), port_base=free_port_base(PORT_OFFSETS.values()),
                   env={**env, **ONE_CLIENT_ADDRESS, **RELEASE_MAX_BYTES, **DECLARATION_CAMPAIGNS,
                        **DECLARATION_TRANSMISSION, **files})
    try:
        running.prepare(demo=True)
        running.start()
        started = RunningMesh(running, backend, real)
        started.wait_until_demo_in_force()
        yield started
    finally:
        # Its state is thrown away: no need to let gunicorn drain kept-alive connections (10 s).
        running.stop(grace=2)
        stack.close()
        if real is not None:
            real.close()


@pytest.fixture(scope="session")
def bus_broker():
    """RabbitMQ + PostgreSQL for the bus's own tests (not the mesh's: those run beside it), shared
    by them to spare a virtual host each; every user calls ``reset_queues()`` first."""
    real = real_backend()
    try:
        yield real
    finally:
        real.close()

"""Nothing is lost, nothing is done twice: count the effects, not the messages.

Several processes publish through their outbox (each with its own relay) while the consumer is
killed with SIGKILL and restarted, and — on RabbitMQ — while the broker restarts. On the embedded
transport and on RabbitMQ's quorum and classic queues, every event must have exactly one effect.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text


PUBLISHERS, EVENTS_EACH, RATE = 3, 300, 60.0


@pytest.fixture(params=["embedded", "rabbitmq-quorum-postgresql", "rabbitmq-classic-postgresql"])
def bus_env(request, tmp_path):
    env = {**os.environ, "PORTAL_VAR_DIR": str(tmp_path / "var"), "PYTHONUNBUFFERED": "1",
           "PORTAL_BUS_RETRY_DELAY": "0.05"}
    env.pop("PORTAL_DATABASE_URL", None)
    if request.param == "embedded":
        env["PORTAL_BROKER_URL"] = "filesystem://"
        env["PORTAL_PROBE_DATABASE_URL"] = f"sqlite:///{tmp_path}/probe.db"
        yield env, None
        return
    real = request.getfixturevalue("bus_broker")
    real.reset_queues()
    quorum = "quorum" in request.param
    env.update(real.env())
    env["PORTAL_BUS_QUORUM_QUEUES"] = "1" if quorum else "0"
    # A database of its own per run: the broker is shared, the counted effects must not be.
    env["PORTAL_PROBE_DATABASE_URL"] = env["PORTAL_DATABASE_URL"].replace(
        "{service}", "probe_quorum" if quorum else "probe_classic")
    from portalkit.migrations import ensure_database
    ensure_database(env["PORTAL_PROBE_DATABASE_URL"])
    yield env, real


def _start(env, *args, log):
    return subprocess.Popen([sys.executable, "-m", "portalkit.probe", *args], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def _restart_broker(real) -> None:
    if real.containers:
        real.containers[0].get_wrapped_container().restart()
    else:
        subprocess.run(["rabbitmqctl", "stop_app"], check=True, capture_output=True)
        subprocess.run(["rabbitmqctl", "start_app"], check=True, capture_output=True)


def test_every_event_has_exactly_one_effect(bus_env, tmp_path):
    env, real = bus_env
    log = open(tmp_path / "probe.log", "ab")
    subprocess.run([sys.executable, "-m", "portalkit.probe", "init"], env=env, check=True)
    consumer = _start(env, "consume", log=log)
    publishers = [_start(env, "publish", f"p{n}", str(EVENTS_EACH), str(RATE), log=log)
                  for n in range(PUBLISHERS)]
    try:
        time.sleep(1.5)
        os.killpg(consumer.pid, signal.SIGKILL)
        consumer.wait()
        time.sleep(0.5)
        consumer = _start(env, "consume", log=log)
        time.sleep(1.0)
        if real:
            _restart_broker(real)
        for publisher in publishers:
            assert publisher.wait(timeout=120) == 0, (tmp_path / "probe.log").read_text()[-3000:]
        engine = create_engine(env["PORTAL_PROBE_DATABASE_URL"])
        expected = PUBLISHERS * EVENTS_EACH
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                handled = connection.execute(text("SELECT count(DISTINCT probe_id) FROM effects")).scalar()
            if handled >= expected:
                break
            time.sleep(0.5)
        time.sleep(1.0)  # let any late duplicate show itself
        with engine.connect() as connection:
            distinct = connection.execute(text("SELECT count(DISTINCT probe_id) FROM effects")).scalar()
            doubled = connection.execute(text(
                "SELECT probe_id FROM effects GROUP BY probe_id HAVING count(*) > 1")).scalars().all()
        engine.dispose()
        assert distinct == expected, (tmp_path / "probe.log").read_text()[-3000:]
        assert doubled == []
    finally:
        for process in [consumer, *publishers]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)

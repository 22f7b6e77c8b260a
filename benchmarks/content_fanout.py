"""Fan-out of one news item to N holders, through notifications' real worker process and bus, to a
local SMTP sink: mails per second, time from the event to the last mail handed to SMTP, and the
latency of activation mails (``UserCreated``) published meanwhile, against the same latency with
no fan-out running, in one run.

    python benchmarks/content_fanout.py [--holders 100000] [--backend embedded|rabbitmq-postgresql]

The holders are written straight into notifications' ``service_holders`` (what the catalog's events
would have left there). The sink is aiosmtpd in this process, counting each mail's arrival without
writing it (the development sink's fsync per mail, ~5 ms here, would be what is measured); a raw
run first hands prebuilt messages to the same sink over one connection: the ratio says what the
portal's sending costs against SMTP alone.
"""
from __future__ import annotations

import argparse
import os
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from kombu import Producer
from sqlalchemy import create_engine, insert

from common import ROOT, embedded_env, percentiles, real_backend, save

SERVICE = "notification-on-new-portal-help-published"
ACTIVATION_EVERY = 0.5  # seconds between two activation mails during the fan-out
IDLE_ACTIVATIONS = 20


class CountingSink:
    """An SMTP server that notes when each mail arrived, by Message-ID."""

    def __init__(self):
        self.arrivals: dict[str, float] = {}
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        start = content.find(b"Message-ID:")
        message_id = content[start:content.find(b"\n", start)].split(b":", 1)[1].strip().decode() if start >= 0 else ""
        with self.lock:
            self.arrivals.setdefault(message_id, time.monotonic())
        return "250 OK"

    def count(self, prefix: str) -> int:
        with self.lock:
            return sum(1 for key in self.arrivals if key.startswith(prefix))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def raw_rate(port: int, count: int = 2000) -> float:
    """Prebuilt mails handed to the sink over one connection: SMTP and the sink alone."""
    messages = []
    for number in range(count):
        message = EmailMessage()
        message["Subject"], message["From"], message["To"] = "Raw", "a@portal.localhost", f"r{number}@raw.test"
        message["Message-ID"] = f"<raw.{number}@portal.localhost>"
        message.set_content("Hello\n" * 20, cte="quoted-printable")
        message.add_alternative("<p>Hello</p>" * 20, subtype="html", cte="quoted-printable")
        messages.append(message.as_bytes())
    started = time.monotonic()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for number, message in enumerate(messages):
            smtp.sendmail("a@portal.localhost", [f"r{number}@raw.test"], message)
    return count / (time.monotonic() - started)


def seed(database_url: str, holders: int) -> None:
    from notifications.models import ServiceHolder
    engine = create_engine(database_url)
    rows = [{"user_id": f"h{number:07}", "company_id": f"c{number % 5000:05}", "service_code": SERVICE,
             "email": f"h{number:07}@fanout.test", "first_name": f"Holder{number}", "last_name": "Bench",
             "language": "fr" if number % 3 == 0 else "en"} for number in range(holders)]
    with engine.begin() as connection:
        for start in range(0, len(rows), 10_000):
            connection.execute(insert(ServiceHolder.__table__), rows[start:start + 10_000])
    engine.dispose()


def publisher(env: dict):
    from dataclasses import replace

    from portalkit import broker, topology
    from portalkit.settings import Settings
    url = env["PORTAL_BROKER_URL"]
    if url == "filesystem://":
        url = f"filesystem://{env['PORTAL_VAR_DIR']}/bus"
    connection = broker.connect(replace(Settings.load("probe"), broker_url=url))
    topology.declare(connection)
    producer = Producer(connection.default_channel, exchange=topology.EVENTS)

    def publish(event_type: str, producer_name: str, data: dict) -> str:
        from portalkit.events import new_envelope
        envelope = new_envelope(event_type, data)
        producer.publish(envelope, routing_key=f"{producer_name}.{event_type}", serializer="json", delivery_mode=2)
        return envelope["id"]
    return connection, publish


def activation(publish, number: int) -> tuple[str, float]:
    """Publish a UserCreated; the Message-ID prefix its activation mail will have, and when."""
    user_id = f"act-{uuid.uuid4().hex[:10]}"
    sent = time.monotonic()
    event_id = publish("UserCreated", "identity", {
        "user_id": user_id, "email": f"{user_id}@activation.test", "first_name": "New", "last_name": "User",
        "language": "en", "company_id": "c00001", "company_name": "Bench", "activation_token": f"tok{number}",
        "activation_expires_at": "2030-01-01T00:00:00+00:00"})
    return f"<{event_id}.activation.", sent


def latency(sink: CountingSink, sent: list[tuple[str, float]], timeout: float) -> list[float]:
    deadline = time.monotonic() + timeout
    samples = []
    for prefix, at in sent:
        while True:
            with sink.lock:
                arrived = next((when for key, when in sink.arrivals.items() if key.startswith(prefix)), None)
            if arrived is not None or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        if arrived is not None:
            samples.append((arrived - at) * 1000)
    return samples


def measure(backend_env: dict, database_url: str, holders: int, folder: Path) -> dict:
    port = free_port()
    sink = CountingSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {**os.environ, **backend_env, "PORTAL_VAR_DIR": str(folder / "var"), "PORTAL_SMTP_PORT": str(port),
           "PORTAL_NOTIFICATIONS_DATABASE_URL": database_url, "PORTAL_LOG_LEVEL": "WARNING",
           "PORTAL_NOTIFICATIONS_FANOUT_INTERVAL": "0.2", "PORTAL_NOTIFICATIONS_SEND_POLL": "0.1"}
    subprocess.run([str(Path(sys.executable).parent / "portal-migrate"), "notifications"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    started = time.monotonic()
    seed(database_url, holders)
    seeded = time.monotonic() - started
    raw = raw_rate(port)
    worker = subprocess.Popen([sys.executable, "-m", "notifications.worker"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=open(folder / "worker.log", "wb"),
                              start_new_session=True)
    connection, publish = publisher(env)
    try:
        # Up and idle: the activation latency with no fan-out running.
        latency(sink, [activation(publish, 0)], timeout=60)
        idle = []
        for number in range(IDLE_ACTIVATIONS):
            idle += latency(sink, [activation(publish, number)], timeout=30)
            time.sleep(0.1)
        news_id = f"bench-{uuid.uuid4().hex[:8]}"
        published = time.monotonic()
        publish("NewsPublished", "knowledge", {"news_id": news_id, "kind": "help", "title_en": "Bench news",
                                               "title_fr": "Actualité du banc", "product_codes": [], "domains": []})
        during, number = [], 1000
        while sink.count("<content.") < holders and time.monotonic() - published < 1800:
            during.append(activation(publish, number))
            number += 1
            time.sleep(ACTIVATION_EVERY)
        with sink.lock:
            content = sorted(when for key, when in sink.arrivals.items() if key.startswith("<content."))
        during_samples = latency(sink, during, timeout=30)
    finally:
        connection.release()
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        controller.stop()
    first, last = content[0] - published, content[-1] - published
    rate = len(content) / (content[-1] - content[0]) if len(content) > 1 else 0.0
    idle_p, during_p = percentiles(idle), percentiles(during_samples)
    return {"holders": holders, "mails": len(content), "seed_s": round(seeded, 1),
            "first_mail_s": round(first, 2), "last_mail_s": round(last, 2),
            "mails_per_s": round(rate, 1), "raw_smtp_mails_per_s": round(raw, 1),
            "ratio_to_raw_smtp": round(rate / raw, 2) if raw else None,
            "activation_idle_ms": idle_p, "activation_during_fanout_ms": during_p,
            "activation_p95_ratio": round(during_p["p95"] / idle_p["p95"], 2) if idle and during_samples else None}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holders", type=int, default=100_000)
    parser.add_argument("--backend", choices=("embedded", "rabbitmq-postgresql"), default="embedded")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    with tempfile.TemporaryDirectory() as folder:
        if args.backend == "embedded":
            result = measure(embedded_env(), f"sqlite:///{folder}/notifications.db", args.holders, Path(folder))
        else:
            with real_backend() as backend:
                env = backend.env()
                url = env["PORTAL_DATABASE_URL"].replace("{service}", "notifications")
                result = measure(env, url, args.holders, Path(folder))
    result["backend"] = args.backend
    save(f"content_fanout-{args.backend}", result)
    return result


if __name__ == "__main__":
    main()

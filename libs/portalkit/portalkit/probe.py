"""Probe traffic to verify and measure the bus: publishers (outbox + relay) and a consumer.

    python -m portalkit.probe init                      create the tables
    python -m portalkit.probe publish NAME COUNT RATE   write COUNT ProbeSent events at RATE/s
    python -m portalkit.probe consume                   one row in ``effects`` per handling

Used by the delivery test (tests/integration/test_nothing_lost.py) and the latency benchmark.

The database (``PORTAL_PROBE_DATABASE_URL``) and bus (``PORTAL_BROKER_URL``) come from the
environment, like any service of the mesh.
"""
from __future__ import annotations

import sys
import threading
import time

from sqlalchemy import Float, Integer, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portalkit import broker
from portalkit.consumer import HandledEventMixin
from portalkit.db import Database
from portalkit.outbox import Outbox, OutboxMixin, Relay
from portalkit.settings import Settings
from portalkit.worker import run_worker


class Base(DeclarativeBase):
    pass


class OutboxMessage(OutboxMixin, Base):
    pass


class HandledEvent(HandledEventMixin, Base):
    pass


class Effect(Base):
    """One row per handling: deliberately no unique key, so a double handling shows as two rows."""

    __tablename__ = "effects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    probe_id: Mapped[str] = mapped_column(String(64))
    # Commit of the event to the end of its handling, as seen by the consumer's clock.
    latency_ms: Mapped[float] = mapped_column(Float)


outbox = Outbox("probe", OutboxMessage)


def record(session, event):
    session.add(Effect(probe_id=event.data["probe_id"],
                       latency_ms=(time.time() - event.data["sent_at"]) * 1000))


def main(argv):
    settings = Settings.load("probe")
    database = Database(settings.database_url)
    command = argv[0]
    if command == "init":
        Base.metadata.create_all(database.engine)
    elif command == "publish":
        name, count, rate = argv[1], int(argv[2]), float(argv[3])
        relay = Relay(database, outbox, broker.connect(settings), settings.outbox_polling_interval)
        thread = threading.Thread(target=relay.run, daemon=True)
        thread.start()
        started = time.monotonic()
        for i in range(count):
            with database.transaction() as session:
                outbox.add(session, "ProbeSent", {"probe_id": f"{name}-{i}", "sent_at": time.time()})
            # Paced against the start, so a slow commit does not lower the rate.
            time.sleep(max(0.0, started + (i + 1) / rate - time.monotonic()))
        while True:  # leave only once everything this process wrote has been relayed
            with database.sessions() as session:
                if not session.scalar(select(func.count()).select_from(OutboxMessage)
                                      .where(OutboxMessage.published_at.is_(None))):
                    break
            time.sleep(0.1)
        relay.stop()
        thread.join(timeout=5)
    elif command == "consume":
        run_worker("probe", database, handled_model=HandledEvent, handlers={"probe.ProbeSent": record},
                   settings=settings)


if __name__ == "__main__":
    main(sys.argv[1:])

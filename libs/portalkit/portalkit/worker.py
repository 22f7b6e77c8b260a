"""A service's worker process: the outbox relay and the event consumer, side by side."""
from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Callable

from . import broker, logs, metrics, topology
from .jobs import PeriodicJob, run_jobs
from .consumer import EventConsumer, Handler
from .db import Database
from .outbox import Outbox, Relay
from .settings import Settings

log = logging.getLogger(__name__)


def _declare_topology(settings: Settings) -> None:
    """Declare the topology, however long the broker takes: a broker restarting while the worker
    starts resets the connection mid-declaration, and a worker must outlive that, not crash."""
    delay = 0.5
    while True:
        with broker.connect(settings) as connection:
            try:
                connection.ensure_connection(max_retries=None, interval_start=0.5, interval_max=2)
                topology.declare(connection)
                return
            except connection.recoverable_connection_errors as error:
                log.warning("broker unavailable while declaring the topology (%s); retrying", error)
        time.sleep(delay)
        delay = min(delay * 2, 5.0)


def run_worker(component: str, database: Database, outbox: Outbox | None = None,
               handled_model: type | None = None, handlers: dict[str, Handler] | None = None,
               settings: Settings | None = None, jobs: list[PeriodicJob] | None = None,
               loops: list[Callable[[threading.Event], None]] | None = None) -> None:
    """Relay ``outbox``, consume ``<component>.events``, run the periodic ``jobs``
    (``portalkit.jobs.every``) and the long-running ``loops`` (each on a thread of its own, given
    the event set at shutdown) until SIGTERM or SIGINT."""
    settings = settings or Settings.load(component)
    logs.configure(component, "worker")
    stopping = threading.Event()
    _declare_topology(settings)
    metrics.serve_worker(component, settings, database, outbox)
    threads = []
    relay = None
    if outbox is not None:
        relay = Relay(database, outbox, broker.connect(settings), settings.outbox_polling_interval)
        threads.append(threading.Thread(target=relay.run, name="relay", daemon=True))
    consumer = None
    if handlers:
        consumer = EventConsumer(broker.connect(settings), component, database, handled_model,
                                 handlers, settings.bus_max_retries, settings.bus_retry_delay)
        threads.append(threading.Thread(target=consumer.run, name="consumer", daemon=True))
    if jobs:
        threads.append(threading.Thread(target=run_jobs, args=(list(jobs), stopping), name="jobs", daemon=True))
    for number, loop in enumerate(loops or ()):
        threads.append(threading.Thread(target=loop, args=(stopping,), daemon=True,
                                        name=getattr(loop, "__name__", None) or f"loop-{number}"))

    def stop(*_):
        stopping.set()
        if relay:
            relay.stop()
        if consumer:
            consumer.should_stop = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for thread in threads:
        thread.start()
    log.info("worker started (%s)", ", ".join(t.name for t in threads) or "idle")
    while not stopping.wait(1.0):  # a timed wait: the signal handlers run in this thread
        pass
    for thread in threads:
        thread.join(timeout=5)

"""The metrics' part in gunicorn (``deploy/gunicorn.conf.py``'s hooks): a deployment's workers
add up in its multiprocess folder, emptied at start; the master may serve the sum."""
from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

from prometheus_client import multiprocess

from .metrics import metrics_port, multiprocess_dir, serve


def starting(_server) -> None:
    """Empty the deployment's multiprocess folder: a restart must not add up the last run's files."""
    directory = multiprocess_dir()
    if not directory:
        return
    Path(directory).mkdir(parents=True, exist_ok=True)
    for file in Path(directory).glob("*.db"):
        file.unlink(missing_ok=True)


def ready(server) -> None:
    """Serve the workers' added-up metrics from the master on PORTAL_METRICS_PORT, if set, with
    the scrape-time collectors of the app's package (``<package>.metrics.scrape_collectors()``)."""
    if metrics_port() is None:
        return
    package = (getattr(server.app, "app_uri", None) or "").partition(".")[0].partition(":")[0]
    serve(*master_collectors(package))


def master_collectors(package: str) -> list:
    if not package or importlib.util.find_spec(package) is None \
            or importlib.util.find_spec(f"{package}.metrics") is None:
        return []
    module = importlib.import_module(f"{package}.metrics")
    return list(getattr(module, "scrape_collectors", lambda: [])())


def child_exit(_server, worker) -> None:
    """A worker gone: its in-flight gauge stops counting (its counters stay in the sum)."""
    if multiprocess_dir():
        multiprocess.mark_process_dead(worker.pid)

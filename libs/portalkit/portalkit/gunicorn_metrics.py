"""The metrics' part in gunicorn (``deploy/gunicorn.conf.py``'s hooks): a deployment's workers
add up in its multiprocess folder, emptied at start; the master may serve the sum.

Nothing here imports the client library at import time: it picks its mode (one process, or
values in PROMETHEUS_MULTIPROC_DIR) when first imported, so ``starting`` sets the folder first.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

from .settings import env

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"
_own_folder: str | None = None


def starting(_server) -> None:
    """Give the deployment its folder, empty: the one set, else one of its own under /tmp (taken
    away at exit), set before anything imports the client library and so inherited by every
    worker. A restart must not add up the last run's files."""
    global _own_folder
    directory = env(MULTIPROC_DIR)
    if not directory:
        directory = _own_folder = os.environ[MULTIPROC_DIR] = tempfile.mkdtemp(prefix="portal-metrics-")
    Path(directory).mkdir(parents=True, exist_ok=True)
    for file in Path(directory).glob("*.db"):
        file.unlink(missing_ok=True)


def exiting(_server) -> None:
    global _own_folder
    if _own_folder:
        shutil.rmtree(_own_folder, ignore_errors=True)
        _own_folder = None


def ready(server) -> None:
    """Serve the workers' added-up metrics from the master on PORTAL_METRICS_PORT, if set, with
    the scrape-time collectors of the app's package (``<package>.metrics.scrape_collectors()``)."""
    from .metrics import metrics_port, serve
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
    if env(MULTIPROC_DIR):
        from prometheus_client import multiprocess
        multiprocess.mark_process_dead(worker.pid)

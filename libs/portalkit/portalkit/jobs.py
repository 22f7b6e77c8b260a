"""A worker's periodic jobs (expiry, contract checks, imports, purges): ``every(seconds, job)``,
run by ``run_worker`` on one thread until it is told to stop.

A job that raises is logged and run again at its next time: one failed run never stops the worker.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from . import correlation

log = logging.getLogger(__name__)


@dataclass
class PeriodicJob:
    """``run`` called every ``seconds`` (the first time at once); ``name`` is what the log says."""

    seconds: float
    run: Callable[[], object]
    name: str
    next_run: float = field(default=0.0)

    def run_if_due(self, now: float) -> bool:
        """Run the job if its time has come; False if it was not due. Never raises."""
        if now < self.next_run:
            return False
        # Scheduled before running: a run longer than the interval is not followed by a burst.
        self.next_run = now + self.seconds
        self._run_followed()
        return True

    def _run_followed(self) -> None:
        # Each run is followed as a request of its own: its log lines and events share a fresh id.
        with correlation.bound(correlation.new_id()):
            try:
                self.run()
            except Exception:  # noqa: BLE001 - the worker outlives a failed run; the next one retries
                log.exception("%s failed; next run in %s s", self.name, self.seconds)


def every(seconds: float, job: Callable[[], object], name: str | None = None) -> PeriodicJob:
    """The job ``job`` to be run every ``seconds`` seconds."""
    if seconds <= 0:
        raise ValueError(f"a periodic job's interval must be positive, not {seconds!r}")
    return PeriodicJob(float(seconds), job, name or getattr(job, "__name__", None) or repr(job))


def run_jobs(jobs: list[PeriodicJob], stopping: threading.Event, clock=time.monotonic) -> None:
    """Run each job when due until ``stopping`` is set; sleep until the next one is due."""
    while not stopping.is_set():
        if not jobs:
            stopping.wait()
            return
        for job in jobs:
            job.run_if_due(clock())
        wait = min(job.next_run for job in jobs) - clock()
        if wait > 0:
            stopping.wait(wait)

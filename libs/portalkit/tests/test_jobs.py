"""The workers' periodic jobs: run at their interval, a failure logged and the next run kept,
stopped by the worker's stop signal."""
import threading

import pytest

from portalkit.jobs import every, run_jobs


def test_a_job_runs_at_once_then_at_its_interval():
    runs = []
    job = every(60, lambda: runs.append(1), "counting")
    assert job.run_if_due(1000.0)
    assert not job.run_if_due(1059.9)
    assert job.run_if_due(1060.0)
    assert runs == [1, 1] and job.name == "counting"


def test_a_failing_run_is_logged_and_the_next_one_still_happens(caplog):
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database away")

    job = every(10, flaky, "flaky job")
    assert job.run_if_due(0.0)
    assert "flaky job failed" in caplog.text and "database away" in caplog.text
    assert job.run_if_due(10.0) and len(calls) == 2


def test_an_interval_must_be_positive():
    with pytest.raises(ValueError):
        every(0, lambda: None)


def test_the_jobs_run_until_the_stop_signal():
    stopping = threading.Event()
    ran = {"fast": threading.Event(), "slow": 0}

    def slow():
        ran["slow"] += 1

    thread = threading.Thread(target=run_jobs, args=([every(0.01, ran["fast"].set, "fast"),
                                                      every(3600, slow, "slow")], stopping))
    thread.start()
    assert ran["fast"].wait(2)
    stopping.set()
    thread.join(timeout=2)
    assert not thread.is_alive()
    assert ran["slow"] == 1  # once at start, not again within its hour

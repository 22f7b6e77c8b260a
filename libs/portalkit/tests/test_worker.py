"""A worker outlives a broker that resets the connection while the topology is declared (a
broker restarting as the worker starts: seen in CI, the consumer died and nothing was handled)."""
from __future__ import annotations

from portalkit import worker


class _Connection:
    recoverable_connection_errors = (ConnectionResetError,)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def ensure_connection(self, **_):
        return self


def test_the_topology_is_declared_again_after_a_reset(monkeypatch):
    attempts = []

    def declare(connection):
        attempts.append(connection)
        if len(attempts) == 1:
            raise ConnectionResetError(104, "Connection reset by peer")

    monkeypatch.setattr(worker.broker, "connect", lambda settings: _Connection())
    monkeypatch.setattr(worker.topology, "declare", declare)
    monkeypatch.setattr(worker.time, "sleep", lambda seconds: None)
    worker._declare_topology(settings=None)
    assert len(attempts) == 2

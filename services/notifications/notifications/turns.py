"""The worker's database on SQLite, written in turns: every write transaction of the process (the
consumer's, the fan-out job's, the sender lanes') waits for its turn first come, first served.

SQLite has one writer. Left to its busy handler, a waiting writer sleeps (1, 2, 5 … 100 ms) while
the lanes, which commit once per mail, take the lock again and again: the consumer's activation
mails starved for seconds behind a large fan-out. A FIFO queue in the process gives each writer
the lock in the order it asked. On PostgreSQL writers do not block each other: no queue.
"""
from __future__ import annotations

import collections
import contextlib
import threading
from typing import Iterator

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from portalkit.db import Database


class FairLock:
    """A lock handed to its waiters in the order they came (``threading.Lock`` is not fair)."""

    def __init__(self):
        self._guard = threading.Lock()
        self._waiters: collections.deque[threading.Event] = collections.deque()
        self._held = False

    def acquire(self) -> None:
        with self._guard:
            if not self._held:
                self._held = True
                return
            turn = threading.Event()
            self._waiters.append(turn)
        turn.wait()  # the releaser hands the lock over: it stays held

    def release(self) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().set()
            else:
                self._held = False

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *_):
        self.release()


class TurnTakingDatabase(Database):
    """A ``Database`` whose write transactions (``transaction``, ``writing``) take turns on SQLite."""

    def __init__(self, url: str, **engine_options):
        super().__init__(url, **engine_options)
        self.turns = FairLock() if self.engine.dialect.name == "sqlite" else contextlib.nullcontext()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.turns, super().transaction() as session:
            yield session

    @contextlib.contextmanager
    def writing(self) -> Iterator[Connection]:
        """A Core transaction on the write engine, in turn."""
        with self.turns, self.engine.begin() as connection:
            yield connection


def writing(database: Database):
    """``database.writing()`` when it takes turns, else a plain Core transaction."""
    return database.writing() if isinstance(database, TurnTakingDatabase) else database.engine.begin()

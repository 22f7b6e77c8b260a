"""The simulated partner's memory, one SQLite file: interchanges by reference (and by
Idempotency-Key, in a transaction) and their reports, whose ids never change once written."""
from __future__ import annotations

import json
import sqlite3
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS interchanges (
    reference TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, siren TEXT NOT NULL,
    sha256 TEXT NOT NULL, submitted_at REAL NOT NULL, due_at REAL NOT NULL, filing TEXT);
CREATE TABLE IF NOT EXISTS reports (
    id TEXT PRIMARY KEY, reference TEXT NOT NULL REFERENCES interchanges(reference),
    position INTEGER NOT NULL, source TEXT NOT NULL, outcome TEXT NOT NULL, at REAL NOT NULL,
    codes TEXT NOT NULL, detail TEXT NOT NULL, UNIQUE (reference, position));
"""


class KeyReused(Exception):
    """The Idempotency-Key already names another interchange's bytes."""


class Store:
    def __init__(self, path: Path):
        self.path = path
        with self._connection() as connection:
            connection.executescript(SCHEMA)

    @contextmanager
    def _connection(self):
        # One connection per call: gunicorn's threads and several processes share the file; the
        # busy timeout makes a writer wait for another's transaction instead of failing.
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        connection.row_factory = sqlite3.Row
        try:
            yield connection
        finally:
            connection.close()

    def submit(self, key: str, siren: str, sha256: str, delay: float, filing: dict | None,
               first_report: dict) -> tuple[str, bool]:
        """``(reference, replayed)``: a known key answers its interchange's reference, once the
        bytes are the same; else the interchange and its partner's report are stored together."""
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                row = connection.execute("SELECT reference, sha256 FROM interchanges WHERE idempotency_key = ?",
                                         (key,)).fetchone()
                if row is not None:
                    connection.execute("ROLLBACK")
                    if row["sha256"] != sha256:
                        raise KeyReused(key)
                    return row["reference"], True
                now = time.time()
                reference = "SIM-" + uuid.uuid4().hex[:16].upper()
                connection.execute("INSERT INTO interchanges VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   (reference, key, siren, sha256, now, now + delay,
                                    None if filing is None else json.dumps(filing)))
                self._add(connection, reference, 1, "partner", at=now, **first_report)
                connection.execute("COMMIT")
                return reference, False
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise

    @staticmethod
    def _add(connection, reference: str, position: int, source: str, outcome: str, at: float,
             codes: list[str], detail: str) -> None:
        # The id is the reference and the position: a report written twice (two pollers at once)
        # is written once, and keeps its id.
        connection.execute("INSERT OR IGNORE INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (f"{reference}-{position}", reference, position, source, outcome, at,
                            json.dumps(codes), detail))

    def interchange(self, reference: str) -> sqlite3.Row | None:
        with self._connection() as connection:
            return connection.execute("SELECT * FROM interchanges WHERE reference = ?", (reference,)).fetchone()

    def add_report(self, reference: str, position: int, source: str, report: dict, at: float) -> None:
        with self._connection() as connection:
            self._add(connection, reference, position, source, at=at, **report)

    def reports(self, reference: str) -> list[dict]:
        with self._connection() as connection:
            rows = connection.execute("SELECT * FROM reports WHERE reference = ? ORDER BY position",
                                      (reference,)).fetchall()
        return [{"id": row["id"], "source": row["source"], "outcome": row["outcome"], "at": row["at"],
                 "codes": json.loads(row["codes"]), "detail": row["detail"]} for row in rows]

"""The gateway's worker process: keeps the read-models and sessions in step with the bus."""
from __future__ import annotations

import logging
import time
from datetime import timedelta

from portalkit.db import Database
from portalkit.settings import Settings
from portalkit.worker import run_worker

from .handlers import HANDLERS
from .models import HandledEvent
from .sessions import purge

log = logging.getLogger(__name__)
PURGE_EVERY = 3600.0  # seconds
KEEP_ENDED_SESSIONS = timedelta(days=7)


def main() -> None:
    settings = Settings.load("gateway")
    database = Database(settings.database_url)
    next_purge = [0.0]

    def purge_old_sessions() -> None:
        if time.monotonic() < next_purge[0]:
            return
        next_purge[0] = time.monotonic() + PURGE_EVERY
        try:
            with database.transaction() as session:
                purge(session, KEEP_ENDED_SESSIONS)
        except Exception:  # noqa: BLE001 - a housekeeping miss must not stop the consumer
            log.exception("purging old sessions failed; next try in an hour")

    run_worker("gateway", database, handled_model=HandledEvent, handlers=HANDLERS,
               settings=settings, on_tick=purge_old_sessions)


if __name__ == "__main__":
    main()

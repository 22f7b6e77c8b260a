"""The gateway's worker process: keeps the read-models and sessions in step with the bus."""
from __future__ import annotations

from datetime import timedelta

from portalkit.db import Database
from portalkit.jobs import every
from portalkit.settings import Settings
from portalkit.worker import run_worker

from .handlers import HANDLERS
from .models import HandledEvent
from .sessions import purge

PURGE_EVERY = 3600.0  # seconds
KEEP_ENDED_SESSIONS = timedelta(days=7)


def main() -> None:
    settings = Settings.load("gateway")
    database = Database(settings.database_url)

    def purge_old_sessions() -> None:
        with database.transaction() as session:
            purge(session, KEEP_ENDED_SESSIONS)

    run_worker("gateway", database, handled_model=HandledEvent, handlers=HANDLERS,
               settings=settings, jobs=[every(PURGE_EVERY, purge_old_sessions, "purging old sessions")])


if __name__ == "__main__":
    main()

"""identity's worker process: relays its outbox, keeps the administrators read-model from
catalog's events, runs the queued CSV imports and forgets the import previews past their time."""
import logging
import time

from portalkit.db import Database
from portalkit.settings import Settings
from portalkit.worker import run_worker

from . import import_runs, imports
from .events import outbox
from .handlers import HANDLERS
from .models import HandledEvent
from .settings import IdentitySettings

log = logging.getLogger(__name__)
# Forgetting previews frees space only (a late start is refused anyway): once a minute is enough.
PREVIEW_SWEEP_SECONDS = 60


def main() -> None:
    settings = Settings.load("identity")
    database = Database(settings.database_url)
    identity_settings = IdentitySettings.load()
    next_sweep = 0.0

    def run_imports() -> None:
        # Called every second by run_worker: an error here must not stop the worker's loop.
        nonlocal next_sweep
        try:
            import_runs.process_pending(database, identity_settings)
            if time.monotonic() >= next_sweep:
                with database.sessions() as session:
                    imports.forget_expired_previews(session)
                next_sweep = time.monotonic() + PREVIEW_SWEEP_SECONDS
        except Exception:  # noqa: BLE001
            log.exception("running imports failed; trying again in a second")

    run_worker("identity", database, outbox=outbox, handled_model=HandledEvent, handlers=HANDLERS,
               settings=settings, on_tick=run_imports)


if __name__ == "__main__":
    main()

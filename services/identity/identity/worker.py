"""identity's worker process: relays its outbox, keeps the administrators read-model from
catalog's events, and runs the queued CSV imports."""
import logging

from portalkit.db import Database
from portalkit.settings import Settings
from portalkit.worker import run_worker

from . import imports
from .events import outbox
from .handlers import HANDLERS
from .models import HandledEvent
from .settings import IdentitySettings

log = logging.getLogger(__name__)


def main() -> None:
    settings = Settings.load("identity")
    database = Database(settings.database_url)
    identity_settings = IdentitySettings.load()

    def run_imports() -> None:
        # Called every second by run_worker: an error here must not stop the worker's loop.
        try:
            imports.process_pending(database, identity_settings)
        except Exception:  # noqa: BLE001
            log.exception("running imports failed; trying again in a second")

    run_worker("identity", database, outbox=outbox, handled_model=HandledEvent, handlers=HANDLERS,
               settings=settings, on_tick=run_imports)


if __name__ == "__main__":
    main()

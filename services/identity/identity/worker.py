"""identity's worker process: relays its outbox, keeps the administrators read-model from
catalog's events, and runs the queued CSV imports."""
from portalkit.db import Database
from portalkit.jobs import every
from portalkit.settings import Settings
from portalkit.worker import run_worker

from . import imports
from .events import outbox
from .handlers import HANDLERS
from .models import HandledEvent
from .settings import IdentitySettings


def main() -> None:
    settings = Settings.load("identity")
    database = Database(settings.database_url)
    identity_settings = IdentitySettings.load()
    run_worker("identity", database, outbox=outbox, handled_model=HandledEvent, handlers=HANDLERS,
               settings=settings, jobs=[every(1.0, lambda: imports.process_pending(database, identity_settings),
                                              "running imports")])


if __name__ == "__main__":
    main()

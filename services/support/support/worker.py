"""support's worker process: relays its outbox and consumes identity's events (``HANDLERS``)."""
from portalkit.db import Database
from portalkit.settings import Settings
from portalkit.worker import run_worker

from .events import outbox
from .handlers import HANDLERS
from .models import HandledEvent


def main() -> None:
    settings = Settings.load("support")
    run_worker("support", Database(settings.database_url), outbox=outbox,
               handled_model=HandledEvent, handlers=HANDLERS, settings=settings)


if __name__ == "__main__":
    main()

"""declarations' worker process: relays its outbox and consumes identity's company events
(``HANDLERS``)."""
from portalkit.db import Database
from portalkit.settings import Settings
from portalkit.worker import run_worker

from .events import outbox
from .handlers import HANDLERS
from .models import HandledEvent


def main() -> None:
    settings = Settings.load("declarations")
    database = Database(settings.database_url)
    run_worker("declarations", database, outbox=outbox, handled_model=HandledEvent, handlers=HANDLERS,
               settings=settings)


if __name__ == "__main__":
    main()

"""notifications' worker process: turns the events of its queue into mails."""
from portalkit.db import Database
from portalkit.settings import Settings
from portalkit.worker import run_worker

from .handlers import HANDLERS
from .models import HandledEvent


def main() -> None:
    settings = Settings.load("notifications")
    run_worker("notifications", Database(settings.database_url), handled_model=HandledEvent,
               handlers=HANDLERS, settings=settings)


if __name__ == "__main__":
    main()

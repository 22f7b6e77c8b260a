"""declarations' worker process: relays its outbox, consumes identity's company events
(``HANDLERS``) and reminds the deadlines not yet filed (reminders.py, every
``PORTAL_DECLARATIONS_REMINDER_INTERVAL`` seconds)."""
from portalkit.db import Database
from portalkit.settings import Settings
from portalkit.worker import run_worker

from .events import outbox
from .handlers import HANDLERS
from .models import HandledEvent
from .reminders import reminder_job
from .settings import DeclarationsSettings


def main() -> None:
    settings = Settings.load("declarations")
    database = Database(settings.database_url)
    own = DeclarationsSettings.load()
    run_worker("declarations", database, outbox=outbox, handled_model=HandledEvent, handlers=HANDLERS,
               settings=settings, jobs=[reminder_job(database, own.reminder_days, own.reminder_interval)])


if __name__ == "__main__":
    main()

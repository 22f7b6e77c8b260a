"""support's worker process: relays its outbox, consumes identity's and assets' events
(``HANDLERS``) and closes the requests resolved long enough ago (``PORTAL_SUPPORT_AUTO_CLOSE_DAYS``,
every ``PORTAL_SUPPORT_AUTO_CLOSE_INTERVAL`` seconds)."""
from portalkit.db import Database, utcnow
from portalkit.jobs import every
from portalkit.settings import Settings
from portalkit.worker import run_worker

from .events import outbox
from .handlers import HANDLERS
from .models import HandledEvent
from .requests import auto_close
from .settings import SupportSettings


def auto_close_job(database: Database, settings: SupportSettings, now=utcnow):
    """The periodic job: close what is due, a batch per transaction, until none is left."""
    def close_resolved() -> int:
        closed = 0
        while True:
            with database.transaction() as session:
                batch = auto_close(session, now(), settings)
            closed += batch
            if batch == 0:
                return closed
    return every(settings.auto_close_interval, close_resolved, "support auto-close")


def main() -> None:
    settings = Settings.load("support")
    database = Database(settings.database_url)
    run_worker("support", database, outbox=outbox, handled_model=HandledEvent, handlers=HANDLERS,
               settings=settings, jobs=[auto_close_job(database, SupportSettings.load())])


if __name__ == "__main__":
    main()

"""catalog's worker process: relays its outbox, consumes identity's and assets' events
(``HANDLERS``) and runs the expiry job (``PORTAL_CATALOG_EXPIRY_INTERVAL``)."""
from portalkit.db import Database
from portalkit.settings import Settings
from portalkit.worker import run_worker

from .events import outbox
from .expiry import expiry_job
from .handlers import HANDLERS
from .models import HandledEvent
from .settings import CatalogSettings


def main() -> None:
    settings = Settings.load("catalog")
    database = Database(settings.database_url)
    run_worker("catalog", database, outbox=outbox, handled_model=HandledEvent, handlers=HANDLERS,
               settings=settings, jobs=[expiry_job(database, CatalogSettings.load())])


if __name__ == "__main__":
    main()

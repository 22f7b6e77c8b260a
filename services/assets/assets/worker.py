"""assets' worker process: relays its outbox, consumes identity's events (``HANDLERS``) and checks
contracts starting or ending (``PORTAL_ASSETS_CONTRACT_INTERVAL``); runs the bulk uploads of documents."""
from portalkit.db import Database
from portalkit.filestore import default_store
from portalkit.jobs import every
from portalkit.settings import Settings
from portalkit.worker import run_worker

from . import document_imports
from .contracts import contract_check
from .document_settings import DocumentSettings
from .events import outbox
from .handlers import HANDLERS
from .models import HandledEvent
from .settings import AssetsSettings


def main() -> None:
    settings = Settings.load("assets")
    database = Database(settings.database_url)
    document_settings = DocumentSettings.load()
    bulk_uploads = every(1.0, lambda: document_imports.process_pending(database, default_store(), document_settings),
                         "running bulk uploads of documents")
    run_worker("assets", database, outbox=outbox, handled_model=HandledEvent, handlers=HANDLERS,
               settings=settings, jobs=[contract_check(database, AssetsSettings.load().contract_interval),
                                        bulk_uploads])


if __name__ == "__main__":
    main()

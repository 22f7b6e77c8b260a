"""assets' worker process: relays its outbox, consumes identity's events (``HANDLERS``) and checks
contracts starting or ending (``PORTAL_ASSETS_CONTRACT_INTERVAL``)."""
from portalkit.db import Database
from portalkit.settings import Settings
from portalkit.worker import run_worker

from .contracts import contract_check
from .events import outbox
from .handlers import HANDLERS
from .models import HandledEvent
from .settings import AssetsSettings


def main() -> None:
    settings = Settings.load("assets")
    database = Database(settings.database_url)
    run_worker("assets", database, outbox=outbox, handled_model=HandledEvent, handlers=HANDLERS,
               settings=settings, jobs=[contract_check(database, AssetsSettings.load().contract_interval)])


if __name__ == "__main__":
    main()

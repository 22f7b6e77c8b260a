"""identity's worker process: relays its outbox (identity consumes no events yet)."""
from portalkit.db import Database
from portalkit.settings import Settings
from portalkit.worker import run_worker

from .events import outbox


def main() -> None:
    settings = Settings.load("identity")
    run_worker("identity", Database(settings.database_url), outbox=outbox, settings=settings)


if __name__ == "__main__":
    main()

"""identity's worker process: relays its outbox, keeps the administrators read-model from
catalog's events, runs the queued CSV imports and forgets the import previews past their time."""
from portalkit.db import Database
from portalkit.jobs import every
from portalkit.settings import Settings
from portalkit.worker import run_worker

from . import import_runs, imports
from .events import outbox
from .handlers import HANDLERS
from .models import HandledEvent
from .settings import IdentitySettings

# Forgetting previews frees space only (a late start is refused anyway): once a minute is enough.
PREVIEW_SWEEP_SECONDS = 60


def main() -> None:
    settings = Settings.load("identity")
    database = Database(settings.database_url)
    identity_settings = IdentitySettings.load()

    def forget_expired_previews() -> None:
        with database.sessions() as session:
            imports.forget_expired_previews(session)

    run_worker("identity", database, outbox=outbox, handled_model=HandledEvent, handlers=HANDLERS,
               settings=settings, jobs=[
                   every(1.0, lambda: import_runs.process_pending(database, identity_settings), "running imports"),
                   every(PREVIEW_SWEEP_SECONDS, forget_expired_previews, "forgetting expired import previews")])


if __name__ == "__main__":
    main()

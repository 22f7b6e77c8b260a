"""declarations' worker process: relays its outbox, consumes identity's company events
(``HANDLERS``), runs the transmission's two loops (transmission.py: submit, poll) and reminds the
deadlines not yet filed (reminders.py, every ``PORTAL_DECLARATIONS_REMINDER_INTERVAL`` seconds); it
fills the supervisor's rows of the years around today ahead (supervision_rows.py, hourly)."""
from portalkit.db import Database
from portalkit.filestore import default_store
from portalkit.settings import Settings
from portalkit.worker import run_worker

from .events import outbox
from .handlers import HANDLERS
from .models import HandledEvent
from .reminders import reminder_job
from .settings import DeclarationsSettings, TransmissionSettings
from .supervision_rows import years_ahead_job
from .transmission import Loops


def main() -> None:
    settings = Settings.load("declarations")
    database = Database(settings.database_url)
    own = DeclarationsSettings.load()
    from .partner_http import make_partner  # the partner's client (its settings: settings.py)

    loops = Loops(database, make_partner(own), default_store(), TransmissionSettings.load())
    run_worker("declarations", database, outbox=outbox, handled_model=HandledEvent, handlers=HANDLERS,
               settings=settings,
               jobs=[reminder_job(database, own.reminder_days, own.reminder_interval), years_ahead_job(database)],
               loops=[loops.transmit, loops.poll])


if __name__ == "__main__":
    main()

"""notifications' worker process: turns the events of its queue into mails; expands new content's
publications (a periodic job), makes the daily digests (another) and sends both (the sender loop,
apart from the consumer: the other mails keep flowing during a large fan-out)."""
from portalkit.jobs import every
from portalkit.settings import Settings
from portalkit.worker import run_worker

from . import digests, fanout
from .content_sender import ContentSender
from .handlers import HANDLERS
from .models import HandledEvent
from .settings import ContentSettings, MailSettings
from .turns import TurnTakingDatabase

DIGEST_CHECK_SECONDS = 60


def main() -> None:
    settings = Settings.load("notifications")
    # The consumer, the jobs and the sender lanes write the same database: on SQLite, in turns.
    database = TurnTakingDatabase(settings.database_url)
    content = ContentSettings.load()
    sender = ContentSender(database, content, MailSettings.load(settings))

    def expand_publications():
        fanout.expand_pending(database, content.fanout_batch, budget=max(1.0, content.fanout_interval * 2))

    def make_digests():
        digests.make_digests(database, content.digest_hour, content.time_zone)

    def content_sender(stopping):
        sender.run(stopping)

    run_worker("notifications", database, handled_model=HandledEvent, handlers=HANDLERS, settings=settings,
               jobs=[every(content.fanout_interval, expand_publications),
                     every(DIGEST_CHECK_SECONDS, make_digests)],
               loops=[content_sender])


if __name__ == "__main__":
    main()

"""The sender loop of new-content mails: lanes that send the pending deliveries and digests in
batches over reused SMTP connections, apart from the bus consumer (whose mails keep flowing).

Back-pressure: ``send_concurrency`` lanes at most (one SMTP connection each), an optional rate
shared by them (``send_rate`` mails/s), batches of ``send_batch`` claimed at a time under a lease.
A temporary failure puts the mail back with a growing delay (``send_retry_delay`` doubled per
attempt, at most an hour) and pauses the lane; after ``send_max_attempts`` it is ``failed``.

What a worker killed at any point does (the guarantee): each mail is recorded ``sending`` in a
commit before it is handed to SMTP, and ``sent`` in the commit that also records the next one
``sending`` (the last of a batch in one of its own). So a mail recorded ``sent`` is never sent
again; a mail ``claimed`` but not ``sending`` was never handed over and is simply taken again;
and at most the one mail ``sending`` per lane — the one in flight, which the server may or may not
have accepted — is sent again by whichever lane takes it over, with the same Message-ID
(``<content.<publication>.<user hash>@…>``, ``<digest.<day>.<user hash>@…>``), so that a
receiving system can recognise the duplicate. Claims are taken over when their lease ends, or at
once by a lane starting on the same host when the claiming process is gone.
"""
from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.message import Message

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from portalkit.db import Database, utcnow

from . import content_mails, turns
from .bulk_sending import MailRejected, Rate, SmtpConnection, bulk_message
from .delivery import Postman
from .fanout import IMMEDIATE
from .models import ContentDelivery, ContentDigest, ContentPublication
from .rendering import MailWriter
from .sending import MailNotSent, RecipientRefused
from .settings import ContentSettings, MailSettings

log = logging.getLogger(__name__)
MAX_RETRY_DELAY = 3600.0
IN_HAND = ("claimed", "sending")


@dataclass
class Claimed:
    """A claimed mail, ready to send: its row, its message."""

    model: type
    id: int
    message: Message


def user_hash(user_id: str) -> str:
    return hashlib.sha256(user_id.encode()).hexdigest()[:16]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sending(model: type):
    table = model.__table__
    return (update(table).where(table.c.id == bindparam("row_id"), table.c.claimed_by == bindparam("token"),
                                table.c.state == "claimed")
            .values(state="sending", attempts=table.c.attempts + 1))


def _settling(model: type):
    table = model.__table__
    return (update(table).where(table.c.id == bindparam("row_id"), table.c.claimed_by == bindparam("token"))
            .values(state=bindparam("new_state"), sent_at=bindparam("when"), claimed_by=None, claimed_until=None))


# Built once: SQLAlchemy then reuses their compiled form for every mail.
SENDING = {model: _sending(model) for model in (ContentDelivery, ContentDigest)}
SETTLE = {model: _settling(model) for model in (ContentDelivery, ContentDigest)}


class ContentSender:
    """The lanes of one worker process (``run``), and each step of theirs (for the tests)."""

    def __init__(self, database: Database, content: ContentSettings, mail: MailSettings,
                 writer: MailWriter | None = None, connect=None):
        self.database, self.content, self.mail = database, content, mail
        self.postman = Postman(None, writer or MailWriter(mail.time_zone), mail.mail_from)
        self.connect = connect or (lambda: SmtpConnection(mail, content.messages_per_connection))
        self.host = socket.gethostname()
        self.token = f"{self.host}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.rate = Rate(content.send_rate)
        self.lease = timedelta(seconds=content.send_lease)
        self._publications: dict[str, ContentPublication] = {}

    # -- the loop ---------------------------------------------------------------------------
    def run(self, stopping: threading.Event) -> None:
        """Send until ``stopping`` is set, on ``send_concurrency`` lanes."""
        self.recover_orphans()
        lanes = [threading.Thread(target=self.lane, args=(stopping,), name=f"content-sender-{n}", daemon=True)
                 for n in range(self.content.send_concurrency)]
        for lane in lanes:
            lane.start()
        for lane in lanes:
            lane.join()

    def lane(self, stopping: threading.Event) -> None:
        connection = self.connect()
        try:
            while not stopping.is_set():
                try:
                    claimed = self.claim()
                    if not claimed:
                        connection.close()  # idle: give the server its connection back
                        stopping.wait(self.content.send_poll)
                        continue
                    pause = self.send_claimed(claimed, connection, stopping)
                except Exception:  # noqa: BLE001 - a lane outlives a failed round (database away…)
                    log.exception("content sender round failed")
                    pause = self.content.send_poll * 4
                if pause:
                    stopping.wait(pause)
        finally:
            connection.close()

    # -- claiming ---------------------------------------------------------------------------
    def claim(self) -> list[Claimed]:
        """Take the next batch (digests first), rendered; [] when nothing is due."""
        with self.database.transaction() as session:
            rows = []
            for model in (ContentDigest, ContentDelivery):
                rows += [(model, row) for row in self._take(session, model, self.content.send_batch - len(rows))]
                if len(rows) >= self.content.send_batch:
                    break
            sources = [(model, row, self._sources(session, model, row)) for model, row in rows]
        # Rendered after the commit: the write lock is not held while templates run.
        return [Claimed(model, row.id, self._message(model, row, source)) for model, row, source in sources]

    def _take(self, session: Session, model: type, limit: int) -> list:
        if limit <= 0:
            return []
        now = utcnow()
        due = select(model).where(model.state == "pending", model.next_attempt_at <= now)
        if model is ContentDelivery:
            due = due.where(model.mode == IMMEDIATE)
        orphaned = select(model).where(model.state.in_(IN_HAND), model.claimed_until < now)
        rows = []
        for query in (orphaned.order_by(model.id), due.order_by(model.next_attempt_at, model.id)):
            query = query.limit(limit - len(rows))
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows += list(session.scalars(query))
            if len(rows) >= limit:
                break
        resent = [row.id for row in rows if row.state == "sending"]
        if resent:
            log.warning("%s %s were in flight when their worker stopped: sent again with the same Message-ID",
                        model.__tablename__, resent)
        for row in rows:
            row.state, row.claimed_by, row.claimed_until = "claimed", self.token, now + self.lease
        session.flush()
        return rows

    def _sources(self, session: Session, model: type, row) -> list[ContentPublication]:
        """The publications a claimed mail tells of: the delivery's one, the digest's every one."""
        if model is ContentDelivery:
            return [self._publication(session, row.publication_id)]
        publications = list(session.scalars(
            select(ContentPublication).join(ContentDelivery, ContentDelivery.publication_id == ContentPublication.id)
            .where(ContentDelivery.digest_id == row.id).order_by(ContentPublication.recorded_at)))
        for publication in publications:
            session.expunge(publication)
        return publications

    def _message(self, model: type, row, publications: list[ContentPublication]) -> Message:
        base_url = self.mail.base_url
        if model is ContentDelivery:
            [publication] = publications
            mail = content_mails.delivery_mail(row, publication, base_url)
            mail_id = f"<content.{publication.id}.{user_hash(row.user_id)}@{self.postman.domain}>"
            return bulk_message(self.postman, mail, mail_id, publication.correlation_id)
        mail = content_mails.digest_mail(row, publications, base_url)
        mail_id = f"<digest.{row.day.isoformat()}.{user_hash(row.user_id)}@{self.postman.domain}>"
        return bulk_message(self.postman, mail, mail_id, None)

    def _publication(self, session: Session, publication_id: str) -> ContentPublication:
        publication = self._publications.get(publication_id)
        if publication is None:
            publication = session.get(ContentPublication, publication_id)
            session.expunge(publication)
            if len(self._publications) > 1000:
                self._publications.clear()
            self._publications[publication_id] = publication
        return publication

    # -- sending ----------------------------------------------------------------------------
    def send_claimed(self, claimed: list[Claimed], connection, stopping: threading.Event) -> float:
        """Send a claimed batch; the pause the lane should take after it (0: none)."""
        previous: Claimed | None = None
        renewed = time.monotonic()
        for index, item in enumerate(claimed):
            if stopping.is_set():
                self._finish(previous, claimed[index:])
                return 0
            self.rate.acquire()
            # Core statements on a bare connection: this transaction is paid once per mail (on
            # SQLite in turn with the process's other writers, the consumer's included: turns.py).
            with turns.writing(self.database) as session:
                if previous is not None:
                    self._mark_sent(session, previous)
                    previous = None
                if not self._mark_sending(session, item):
                    continue  # our lease ended and another lane took it
                if time.monotonic() - renewed > self.lease.total_seconds() / 3:
                    self._renew(session, claimed[index + 1:])
                    renewed = time.monotonic()
            try:
                connection.send(item.message)
            except (RecipientRefused, MailRejected) as refusal:
                log.warning("%s not delivered, for good: %s", item.message["Message-ID"], refusal)
                with self.database.transaction() as session:
                    self._settle(session, item, "refused" if isinstance(refusal, RecipientRefused) else "failed")
                continue
            except MailNotSent as failure:
                with self.database.transaction() as session:
                    delay = self._defer(session, item, str(failure))
                    self._release(session, claimed[index + 1:])
                return min(delay, 10.0)
            previous = item
        self._finish(previous, [])
        return 0

    def _finish(self, previous: Claimed | None, unsent: list[Claimed]) -> None:
        if previous is None and not unsent:
            return
        with turns.writing(self.database) as session:
            if previous is not None:
                self._mark_sent(session, previous)
            self._release(session, unsent)

    def _mark_sending(self, session, item: Claimed) -> bool:
        result = session.execute(SENDING[item.model], {"row_id": item.id, "token": self.token})
        return result.rowcount == 1

    def _mark_sent(self, session, item: Claimed) -> None:
        self._settle(session, item, "sent")

    def _settle(self, session, item: Claimed, state: str) -> None:
        """Record ``item`` sent, refused or failed (a Session or a Connection)."""
        now = utcnow() if state == "sent" else None
        result = session.execute(SETTLE[item.model], {"row_id": item.id, "token": self.token,
                                                      "new_state": state, "when": now})
        if result.rowcount != 1:
            log.error("%s %s was taken over while it was being sent (lease too short?)",
                      item.model.__tablename__, item.id)
        if item.model is ContentDigest:
            session.execute(update(ContentDelivery).where(ContentDelivery.digest_id == item.id)
                            .values(state=state, sent_at=now))

    def _defer(self, session: Session, item: Claimed, reason: str) -> float:
        model = item.model
        row = session.get(model, item.id)
        if row is None or row.claimed_by != self.token:
            return self.content.send_retry_delay
        delay = min(self.content.send_retry_delay * 2 ** max(0, row.attempts - 1), MAX_RETRY_DELAY)
        if row.attempts >= self.content.send_max_attempts:
            log.error("%s gave up after %d tries: %s", item.message["Message-ID"], row.attempts, reason)
            self._settle(session, item, "failed")
            return delay
        log.warning("%s not sent (%s): try %d in %.0f s", item.message["Message-ID"], reason,
                    row.attempts + 1, delay)
        row.state, row.claimed_by, row.claimed_until = "pending", None, None
        row.next_attempt_at = utcnow() + timedelta(seconds=delay)
        session.flush()
        return delay

    def _release(self, session: Session, items: list[Claimed]) -> None:
        for model in (ContentDigest, ContentDelivery):
            ids = [item.id for item in items if item.model is model]
            if ids:
                session.execute(update(model).where(model.id.in_(ids), model.claimed_by == self.token,
                                                    model.state == "claimed")
                                .values(state="pending", claimed_by=None, claimed_until=None))

    def _renew(self, session: Session, items: list[Claimed]) -> None:
        until = utcnow() + self.lease
        for model in (ContentDigest, ContentDelivery):
            ids = [item.id for item in items if item.model is model]
            if ids:
                session.execute(update(model).where(model.id.in_(ids), model.claimed_by == self.token)
                                .values(claimed_until=until))

    # -- a restart --------------------------------------------------------------------------
    def recover_orphans(self) -> int:
        """End at once the claims of this host's processes that are gone (their lease need not
        run out): the next claim takes their mails, the one in flight included."""
        recovered = 0
        with self.database.transaction() as session:
            for model in (ContentDigest, ContentDelivery):
                owners = session.scalars(select(model.claimed_by).distinct()
                                         .where(model.state.in_(IN_HAND), model.claimed_by.like(f"{self.host}:%")))
                for owner in list(owners):
                    _host, _, rest = owner.partition(":")
                    pid_text = rest.partition(":")[0]
                    pid = int(pid_text) if pid_text.isdigit() else 0
                    if owner != self.token and (pid == os.getpid() or not _alive(pid)):
                        result = session.execute(update(model).where(model.claimed_by == owner,
                                                                     model.state.in_(IN_HAND))
                                                 .values(claimed_until=utcnow() - timedelta(seconds=1)))
                        recovered += result.rowcount
        if recovered:
            log.warning("took over %d mails claimed by stopped processes of this host", recovered)
        return recovered

"""The development SMTP sink: accepts every mail on 127.0.0.1 and stores it as an ``.eml`` file.

``python -m notifications.mailsink`` listens on ``PORTAL_SMTP_PORT`` and writes to
``PORTAL_MAIL_DIR`` until SIGTERM or SIGINT. File names start with a UTC timestamp, so that a
name sort is the arrival order; each file appears whole (written aside, then renamed).
"""
from __future__ import annotations

import logging
import os
import signal
import threading
import uuid
from datetime import datetime, timezone
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller

from portalkit import correlation, logs

from .settings import MailSettings

log = logging.getLogger("notifications.mailsink")


class MailFolder:
    """An aiosmtpd handler that stores each message in ``folder``."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope) -> str:
        path = self.store(envelope.mail_from, envelope.rcpt_tos, envelope.original_content or envelope.content)
        headers = BytesHeaderParser(policy=default_policy).parsebytes(path.read_bytes())
        # The line names the request the mail answers: one grep follows it down to the sink.
        with correlation.bound(_correlation_of(headers)):
            log.info("%s from %s to %s: %s", path.name, envelope.mail_from, ", ".join(envelope.rcpt_tos),
                     headers.get("Subject", ""))
        return "250 Message accepted for delivery"

    def store(self, mail_from: str, rcpt_tos: list[str], content: bytes) -> Path:
        name = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}.eml"
        # The envelope, as aiosmtpd's own Message handler records it: To may differ from it.
        envelope = f"X-MailFrom: {mail_from}\r\nX-RcptTo: {', '.join(rcpt_tos)}\r\n".encode()
        staging = self.folder / f".{name}.part"
        with open(staging, "wb") as handle:
            handle.write(envelope + content)
            handle.flush()
            os.fsync(handle.fileno())
        path = self.folder / name
        os.replace(staging, path)
        return path


def _correlation_of(headers) -> str | None:
    value = str(headers.get(correlation.MAIL_HEADER, "")).strip()
    return value if correlation.well_formed(value) else None


def start(folder: Path, port: int, host: str = "127.0.0.1") -> Controller:
    """Start the sink in a background thread; ``.stop()`` the returned controller to end it."""
    controller = Controller(MailFolder(folder), hostname=host, port=port)
    controller.start()
    return controller


def main() -> None:
    logs.configure("notifications", "mailsink")  # aiosmtpd's own log kept to its warnings
    settings = MailSettings.load()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    controller = start(settings.mail_dir, settings.smtp_port)
    log.info("listening on 127.0.0.1:%d, storing mails in %s", settings.smtp_port, settings.mail_dir)
    while not stopping.wait(0.5):
        pass
    controller.stop()
    log.info("stopped")


if __name__ == "__main__":
    main()

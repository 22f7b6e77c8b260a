"""Handing mails to the SMTP server: one connection per mail, a few tries on temporary failures.

A temporary failure (refused connection, timeout, 4xx) is tried ``attempts`` times with a
growing pause, then raised: the bus consumer retries the event later and finally dead-letters
it. A recipient the server refuses for good (5xx) is raised as ``RecipientRefused``, which the
caller logs and does not retry.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
import time
from email.message import EmailMessage
from typing import Callable, Protocol

from .settings import MailSettings

log = logging.getLogger(__name__)


class MailNotSent(Exception):
    """The SMTP server could not be reached or kept deferring the mail; try again later."""


class RecipientRefused(Exception):
    """The SMTP server refused the recipient for good (5xx): sending again would not help."""

    def __init__(self, recipient: str, code: int, reply: str):
        super().__init__(f"{recipient} refused: {code} {reply}")
        self.recipient, self.code, self.reply = recipient, code, reply


class Sender(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class SmtpSender:
    """Sends each mail over a new SMTP connection to the configured server."""

    def __init__(self, settings: MailSettings, attempts: int = 3, pause: float = 1.0,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings, self.attempts, self.pause, self.sleep = settings, attempts, pause, sleep

    def send(self, message: EmailMessage) -> None:
        for attempt in range(1, self.attempts + 1):
            try:
                self._send_once(message)
                return
            except smtplib.SMTPRecipientsRefused as error:
                code, reply = _worst(error.recipients)
                if code >= 500:
                    raise RecipientRefused(message["To"], code, reply) from None
                failure: Exception = error
            except smtplib.SMTPResponseException as error:
                if error.smtp_code >= 500:
                    raise  # a permanent refusal of the sender, the login or the message itself
                failure = error
            except (OSError, smtplib.SMTPException) as error:
                # Refused or dropped connections, timeouts, TLS handshakes that fail midway.
                failure = error
            if attempt < self.attempts:
                delay = self.pause * 2 ** (attempt - 1)
                log.warning("mail %s to %s not sent (%s), try %d of %d in %.1f s", message["Message-ID"],
                            message["To"], _describe(failure), attempt + 1, self.attempts, delay)
                self.sleep(delay)
        raise MailNotSent(f"{message['Message-ID']} to {message['To']}: {_describe(failure)} "
                          f"after {self.attempts} tries")

    def _send_once(self, message: EmailMessage) -> None:
        s = self.settings
        if s.smtp_ssl:
            connection: smtplib.SMTP = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout,
                                                        context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
        with connection:
            if s.smtp_starttls and not s.smtp_ssl:
                connection.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                connection.login(s.smtp_user, s.smtp_password or "")
            connection.send_message(message)


def _worst(recipients: dict) -> tuple[int, str]:
    # One recipient per mail here; with several, any temporary refusal makes the whole retryable.
    replies = [(code, reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply))
               for code, reply in recipients.values()]
    return min(replies) if replies else (0, "")


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        return f"{error.smtp_code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "%d %s" % _worst(error.recipients)
    return f"{type(error).__name__}: {error}"

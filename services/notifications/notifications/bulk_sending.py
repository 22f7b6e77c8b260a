"""Handing new-content mails to SMTP in bulk: the message built cheaply, one connection kept
open across mails, and the rate shared by the sender's lanes (``content_sender``)."""
from __future__ import annotations

import smtplib
import ssl
import threading
import time
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import compat32
from email.utils import formataddr, formatdate

from portalkit import correlation

from .compose import Mail
from .delivery import Postman
from .sending import MailNotSent, RecipientRefused, _describe, _worst
from .settings import MailSettings

_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP
# Headers are not folded: a Message-ID longer than 78 characters stays on its line (RFC 5322 allows 998).
_UNFOLDED = compat32.clone(max_line_length=998)


def bulk_message(postman: Postman, mail: Mail, mail_id: str, request_id: str | None) -> Message:
    """The same mail as ``Postman.compose`` writes (multipart text + HTML, quoted-printable, the
    same headers), built with the ``compat32`` classes: about five times less CPU than
    ``Message``'s header objects, which counts over 100,000 mails."""
    rendered = postman.writer.render(mail)
    message = MIMEMultipart("alternative", policy=_UNFOLDED)
    message["Subject"] = Header(rendered.subject, "utf-8")
    message["From"] = postman.mail_from
    name = " ".join(mail.name.split())  # a line break in a name must not start a new header
    message["To"] = formataddr((name, mail.to), charset="utf-8") if name else mail.to
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = mail_id
    message["Auto-Submitted"] = "auto-generated"
    if correlation.well_formed(request_id):
        message[correlation.MAIL_HEADER] = request_id
    message["Content-Language"] = mail.language
    for body, subtype in ((rendered.text, "plain"), (rendered.html, "html")):
        part = MIMENonMultipart("text", subtype, policy=_UNFOLDED, charset="utf-8")
        part.set_payload(body, _UTF8_QP)
        message.attach(part)
    return message


class MailRejected(Exception):
    """The server refused this message for good (5xx other than the recipient): not retried."""


class SmtpConnection:
    """One SMTP connection kept open across mails (renewed after ``per_connection`` of them)."""

    def __init__(self, settings: MailSettings, per_connection: int = 100):
        self.settings, self.per_connection = settings, per_connection
        self.smtp: smtplib.SMTP | None = None
        self.sent = 0

    def _open(self) -> None:
        s = self.settings
        if s.smtp_ssl:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
        if s.smtp_starttls and not s.smtp_ssl:
            smtp.starttls(context=ssl.create_default_context())
        if s.smtp_user:
            smtp.login(s.smtp_user, s.smtp_password or "")
        self.smtp, self.sent = smtp, 0

    def send(self, message: Message) -> None:
        """Hand ``message`` over; RecipientRefused / MailRejected for good, MailNotSent for now."""
        if self.smtp is not None and self.sent >= self.per_connection:
            self.close()
        reused = self.smtp is not None
        try:
            if self.smtp is None:
                self._open()
            try:
                self.smtp.send_message(message)
            except smtplib.SMTPServerDisconnected:
                if not reused:
                    raise
                # The server closed the idle connection before our first command: nothing was sent.
                self.close()
                self._open()
                self.smtp.send_message(message)
            self.sent += 1
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = _worst(error.recipients)
            if code >= 500:
                raise RecipientRefused(str(message["To"]), code, reply) from None
            self.close()
            raise MailNotSent(_describe(error)) from None
        except smtplib.SMTPResponseException as error:
            self.close()
            if error.smtp_code >= 500:
                raise MailRejected(_describe(error)) from None
            raise MailNotSent(_describe(error)) from None
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise MailNotSent(_describe(error)) from None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


class Rate:
    """At most ``per_second`` acquisitions a second over every lane (0: no limit)."""

    def __init__(self, per_second: float, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.clock, self.sleep, self.lock, self.next_free = clock, sleep, threading.Lock(), 0.0

    def acquire(self) -> None:
        if not self.interval:
            return
        with self.lock:
            now = self.clock()
            slot = max(now, self.next_free)
            self.next_free = slot + self.interval
        if slot > now:
            self.sleep(slot - now)

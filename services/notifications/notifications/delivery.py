"""Mails put together and sent: headers, the two bodies, the send, and the ``SentMail`` record."""
from __future__ import annotations

import hashlib
import logging
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sqlalchemy.orm import Session

from portalkit import correlation
from portalkit.db import utcnow
from portalkit.events import Event

from .compose import Mail
from .models import SentMail
from .rendering import MailWriter
from .sending import RecipientRefused, Sender

log = logging.getLogger(__name__)


def message_id(event: Event, mail: Mail, domain: str) -> str:
    """The same for every delivery of one event's mail, so that a duplicate is recognisable."""
    recipient = hashlib.sha256(mail.to.lower().encode()).hexdigest()[:12]
    return f"<{event.id}.{mail.kind}.{recipient}@{domain}>"


class Postman:
    """Writes each ``Mail``, sends it, and records it in the handler's transaction."""

    def __init__(self, sender: Sender, writer: MailWriter, mail_from: str):
        self.sender, self.writer, self.mail_from = sender, writer, mail_from
        self.domain = parseaddr(mail_from)[1].rpartition("@")[2] or "portal.localhost"

    def deliver(self, session: Session, event: Event, mail: Mail) -> bool:
        """Send ``mail``; False if the server refused its recipient for good (logged, not retried)."""
        message = self.message(event, mail)
        try:
            self.sender.send(message)
        except RecipientRefused as refusal:
            log.warning("%s mail of %s %s not delivered: %s", mail.kind, event.type, event.id, refusal)
            return False
        session.add(SentMail(event_id=event.id, kind=mail.kind, recipient=mail.to,
                             subject=str(message["Subject"])[:300],
                             message_id=str(message["Message-ID"]),
                             sent_at=utcnow()))
        log.info("%s mail sent to %s for %s %s", mail.kind, mail.to, event.type, event.id)
        return True

    def message(self, event: Event, mail: Mail) -> EmailMessage:
        return self.compose(mail, message_id(event, mail, self.domain), event.correlation_id or correlation.current())

    def compose(self, mail: Mail, mail_id: str, request_id: str | None) -> EmailMessage:
        """The message of ``mail`` with Message-ID ``mail_id``, following request ``request_id``."""
        rendered = self.writer.render(mail)
        message = EmailMessage()
        message["Subject"] = rendered.subject
        message["From"] = self.mail_from
        message["To"] = _address(mail)
        message["Date"] = format_datetime(utcnow())
        message["Message-ID"] = mail_id
        # RFC 3834: out-of-office robots must not answer.
        message["Auto-Submitted"] = "auto-generated"
        if correlation.well_formed(request_id):
            message[correlation.MAIL_HEADER] = request_id
        # Quoted-printable: 7-bit clean, so no server needs to offer 8BITMIME.
        message.set_content(rendered.text, cte="quoted-printable")
        message.add_alternative(rendered.html, subtype="html", cte="quoted-printable")
        for attachment in mail.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            message.add_attachment(attachment.content, maintype=maintype, subtype=subtype,
                                   filename=attachment.filename, params=attachment.params)
        # After the bodies: setting a body clears every Content-* header already there.
        message["Content-Language"] = mail.language
        return message


def _address(mail: Mail) -> Address | str:
    name = " ".join(mail.name.split())  # a line break in a name must not start a new header
    if not name:
        return mail.to
    username, _, domain = mail.to.rpartition("@")
    return Address(display_name=name, username=username, domain=domain)

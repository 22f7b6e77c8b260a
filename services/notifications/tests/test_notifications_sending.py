"""Sending over real SMTP connections: retries on temporary failures, none on a recipient refused for good."""
from __future__ import annotations

from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from notifications import mailsink
from notifications.sending import MailNotSent, RecipientRefused, SmtpSender
from notifications.settings import MailSettings
from notifications_testkit import free_port


class Refusing:
    """An SMTP server's handler that answers every RCPT with ``reply`` and counts them."""

    def __init__(self, reply: str):
        self.reply, self.attempts = reply, 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.attempts += 1
        return self.reply


def message(to="ldupont@company.ws") -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "portal@example.com", to, "Hello"
    mail["Message-ID"] = "<test@example.com>"
    mail.set_content("Hello.")
    return mail


@pytest.fixture
def port(monkeypatch):
    port = free_port()
    monkeypatch.setenv("PORTAL_SMTP_PORT", str(port))
    monkeypatch.setenv("PORTAL_SMTP_TIMEOUT", "5")
    return port


@pytest.fixture
def server(port):
    started = []

    def start(handler):
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        return handler
    yield start
    for controller in started:
        controller.stop()


def test_a_refused_connection_is_tried_again_and_the_mail_gets_through(port, server, tmp_path):
    folder = tmp_path / "mail"
    pauses = []

    def pause(seconds):
        # The server comes up while the sender waits after its first, refused, try.
        pauses.append(seconds)
        if len(pauses) == 1:
            server(mailsink.MailFolder(folder))

    SmtpSender(MailSettings.load(), pause=0.25, sleep=pause).send(message())
    assert pauses == [0.25]
    assert len(list(folder.glob("*.eml"))) == 1


def test_a_server_that_stays_away_fails_the_mail_after_three_tries(port):
    pauses = []
    with pytest.raises(MailNotSent, match="after 3 tries"):
        SmtpSender(MailSettings.load(), pause=0.5, sleep=pauses.append).send(message())
    assert pauses == [0.5, 1.0]  # growing pauses between the tries


def test_a_temporary_refusal_is_tried_three_times(server):
    handler = server(Refusing("451 4.3.0 Try again later"))
    with pytest.raises(MailNotSent, match="451"):
        SmtpSender(MailSettings.load(), sleep=lambda _: None).send(message())
    assert handler.attempts == 3


def test_a_recipient_refused_for_good_is_not_tried_again(server):
    handler = server(Refusing("550 5.1.1 No such user"))
    with pytest.raises(RecipientRefused) as refusal:
        SmtpSender(MailSettings.load(), sleep=lambda _: None).send(message())
    assert (refusal.value.code, refusal.value.recipient) == (550, "ldupont@company.ws")
    assert "No such user" in refusal.value.reply
    assert handler.attempts == 1


def test_settings_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("PORTAL_MAIL_DIR")
    settings = MailSettings.load()
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_timeout) == ("127.0.0.1", 8025, 10.0)
    assert (settings.smtp_user, settings.smtp_starttls, settings.smtp_ssl) == (None, False, False)
    assert settings.mail_from == "Client portal <no-reply@portal.localhost>"
    assert settings.mail_dir == (tmp_path / "var" / "mail").resolve()
    assert settings.base_url == "https://portal.example.com"

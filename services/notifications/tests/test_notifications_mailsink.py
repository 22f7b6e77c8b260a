"""The real round trip: an event's mail sent over SMTP to the sink, read back from its .eml file."""
from __future__ import annotations

import json
import os
import signal
import smtplib
import subprocess
import sys
import time
from email import message_from_bytes
from email.policy import default as default_policy

import pytest

from portalkit.consumer import EventConsumer

from notifications import handlers, mailsink
from notifications.models import HandledEvent
from notifications_testkit import BASE_URL, free_port, later, make_event, person


@pytest.fixture
def sink(tmp_path, monkeypatch):
    port = free_port()
    monkeypatch.setenv("PORTAL_SMTP_PORT", str(port))
    controller = mailsink.start(tmp_path / "mail", port)
    yield tmp_path / "mail"
    controller.stop()


def read_mails(folder):
    return [message_from_bytes(path.read_bytes(), policy=default_policy)
            for path in sorted(folder.glob("*.eml"))]


def test_an_activation_mail_reaches_the_sink_whole(sink, database):
    event = make_event("UserCreated", **person(language="fr", first_name="Élodie"), company_id="c1",
                       company_name="Dupont & Fils", activation_token="tok-42",
                       activation_expires_at=later())
    consumer = EventConsumer(None, "notifications", database, HandledEvent, handlers.HANDLERS)
    assert consumer.handle(event, handlers.HANDLERS["identity.UserCreated"])

    [mail] = read_mails(sink)
    assert [path.name for path in sink.iterdir() if not path.name.endswith(".eml")] == []
    assert mail["To"] == "Élodie Dupont <ldupont@company.ws>"
    assert mail["X-RcptTo"] == "ldupont@company.ws"
    assert mail["Subject"] == "Activez votre compte du portail client"
    assert mail["Content-Language"] == "fr"
    assert mail["Message-ID"].startswith(f"<{event.id}.activation.")
    assert mail.get_content_type() == "multipart/alternative"
    text, html = mail.iter_parts()
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    link = f"{BASE_URL}/activate/tok-42"
    assert link in text.get_content().splitlines()
    assert "Bonjour Élodie," in text.get_content()
    assert f'href="{link}"' in html.get_content()
    assert "Dupont &amp; Fils" in html.get_content()


def test_files_are_named_in_arrival_order(sink):
    port = int(os.environ["PORTAL_SMTP_PORT"])
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for number in range(3):
            smtp.sendmail("a@example.com", ["b@example.com"], f"Subject: mail {number}\r\n\r\nHi.\r\n")
    assert [mail["Subject"] for mail in read_mails(sink)] == ["mail 0", "mail 1", "mail 2"]


def test_the_sink_runs_as_a_process_until_sigterm(tmp_path):
    port = free_port()
    folder = tmp_path / "mail"
    env = {**os.environ, "PORTAL_SMTP_PORT": str(port), "PORTAL_MAIL_DIR": str(folder), "PORTAL_LOG_FORMAT": "json"}
    process = subprocess.Popen([sys.executable, "-m", "notifications.mailsink"], env=env,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                smtp = smtplib.SMTP("127.0.0.1", port, timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, "the sink did not start"
                time.sleep(0.1)
        with smtp:
            smtp.sendmail("a@example.com", ["b@example.com"],
                          "Subject: ping\r\nX-Portal-Correlation-Id: req-0123456789\r\n\r\nHi.\r\n")
        [stored] = folder.glob("*.eml")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
    logged = process.stderr.read()
    # One JSON line per mail, beside the start and stop lines: aiosmtpd's own chatter is silenced.
    # It names the request the mail answers.
    [line] = [json.loads(line) for line in logged.splitlines() if "listening on" not in line and "stopped" not in line]
    assert line["message"] == f"{stored.name} from a@example.com to b@example.com: ping"
    assert (line["component"], line["process"], line["request_id"]) == ("notifications", "mailsink", "req-0123456789")

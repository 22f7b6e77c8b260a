"""Helpers of notifications' tests (a unique module name: every service's tests share one run)."""
from __future__ import annotations

import socket
from datetime import datetime, timedelta, timezone

from portalkit.events import load_event, new_envelope

BASE_URL = "https://portal.example.com"
MAIL_FROM = "Client portal <no-reply@portal.example.com>"
SOON = datetime(2026, 12, 1, 9, 5, tzinfo=timezone.utc)


def make_event(event_type: str, **data):
    """An event as a handler receives it: built and checked against its contract, then loaded."""
    return load_event(new_envelope(event_type, data))


def person(email="ldupont@company.ws", first_name="Lovana", language="en", user_id="u1"):
    return {"user_id": user_id, "email": email, "first_name": first_name, "last_name": "Dupont",
            "language": language}


def later(days=7):
    return SOON + timedelta(days=days)


class FakeSender:
    """Keeps the messages instead of sending them; ``failure`` is raised instead, when set."""

    def __init__(self):
        self.sent = []
        self.failure = None

    def send(self, message):
        if self.failure is not None:
            raise self.failure
        self.sent.append(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

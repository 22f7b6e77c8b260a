"""Access requests are throttled like the forgotten password: every one counts, per e-mail asked
for and per client address (each one mails a company's administrators or the operators)."""
from __future__ import annotations

import pytest

from gateway.settings import GatewaySettings
from gateway.throttle import ACCESS_REQUEST, Attempt, Throttle, TooManyTries, attempt_of


def test_an_access_request_is_an_attempt_on_the_address_asked_for():
    assert attempt_of("POST", "/auth/access-requests", {"email": " Nina@Acme.TEST "}, "10.0.0.1") == \
        Attempt(ACCESS_REQUEST, "10.0.0.1", "nina@acme.test")
    assert attempt_of("POST", "/auth/access-requests", "not json", None) == Attempt(ACCESS_REQUEST, "unknown", None)
    assert attempt_of("GET", "/auth/access-requests", {}, "10.0.0.1") is None


def test_every_access_request_counts_with_the_default_limits(monkeypatch):
    for name in ("PORTAL_RATE_LIMIT_ACCESS_REQUEST", "PORTAL_RATE_LIMIT_ACCESS_REQUEST_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    rules = Throttle.from_settings(GatewaySettings.load())
    attempt = Attempt(ACCESS_REQUEST, "10.0.0.2", "flood@acme.test")
    for _ in range(5):  # 5 an hour per address asked for
        rules.check(attempt)
        rules.record(attempt, 202)
    with pytest.raises(TooManyTries) as refused:
        rules.check(attempt)
    assert refused.value.seconds > 60
    for number in range(15):  # 20 an hour per client address, whatever the e-mail
        other = Attempt(ACCESS_REQUEST, "10.0.0.2", f"{number}@acme.test")
        rules.check(other)
        rules.record(other, 202)
    with pytest.raises(TooManyTries):
        rules.check(Attempt(ACCESS_REQUEST, "10.0.0.2", "new@acme.test"))

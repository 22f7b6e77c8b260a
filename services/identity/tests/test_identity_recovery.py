"""Forgotten password: the same answer for every address, one mail a minute, single-use links
that expire in an hour, and a reset that ends every session."""
from __future__ import annotations

import statistics
import time
from datetime import timedelta

from sqlalchemy import select

from identity.models import OneTimeToken
from identity_testkit import PASSWORD


def _forgot(portal, email):
    return portal.client.post("/auth/password/forgot", json={"email": email}, headers=portal.as_caller())


def _reset(portal, token, password="Fresh-Start-Key-5"):
    return portal.client.post("/auth/password/reset", json={"token": token, "password": password},
                              headers=portal.as_caller())


def _age_tokens(portal, **delta):
    """Move the reset links back in time, as if ``delta`` had passed."""
    with portal.database.transaction() as session:
        for token in session.scalars(select(OneTimeToken).where(OneTimeToken.purpose == "password_reset")):
            token.created_at -= timedelta(**delta)
            token.expires_at -= timedelta(**delta)


def test_any_address_gets_202_and_only_known_accounts_a_mail(portal):
    portal.register("C1")
    portal.register("C2", activate=False)
    for email in ("nobody@nowhere.test", "admin@c2.test", "ADMIN@c1.test"):
        response = _forgot(portal, email)
        assert response.status_code == 202 and response.data == b""
    [event] = portal.events("PasswordResetRequested")
    assert event["email"] == "admin@c1.test" and event["language"] == "fr" and len(event["reset_token"]) >= 22
    assert _forgot(portal, "not even an address").status_code == 202


def test_one_mail_a_minute_at_most(portal):
    portal.register("C1")
    _forgot(portal, "admin@c1.test")
    _forgot(portal, "admin@c1.test")
    assert len(portal.events("PasswordResetRequested")) == 1
    _age_tokens(portal, seconds=61)
    _forgot(portal, "admin@c1.test")
    first, second = portal.events("PasswordResetRequested")
    assert first["reset_token"] != second["reset_token"]
    assert _reset(portal, first["reset_token"]).status_code == 410  # replaced by the newer link


def test_known_and_unknown_addresses_take_the_same_time(portal):
    portal.register("C1")

    def timed(email):
        start = time.perf_counter()
        _forgot(portal, email)
        return time.perf_counter() - start
    pairs = [(timed("admin@c1.test"), timed("nobody@c1.test")) for _ in range(9)]  # interleaved: same noise
    known, unknown = (statistics.median(times) for times in zip(*pairs))
    assert unknown > 0.01  # a password hash is spent for nobody too
    assert 0.5 < known / unknown < 2


def test_the_link_resets_once_and_ends_every_session(portal):
    portal.register("C1")
    _forgot(portal, "admin@c1.test")
    token = portal.events("PasswordResetRequested")[0]["reset_token"]
    shown = portal.client.get(f"/auth/password/reset/{token}", headers=portal.as_caller())
    assert shown.status_code == 200 and shown.json["security_level"] == 2
    weak = _reset(portal, token, "short")
    assert weak.status_code == 400 and "min_length_8" in weak.json["error"]["fields"]["password"]
    assert set(_reset(portal, token, PASSWORD).json["error"]["fields"]["password"]) == {"reused_password"}
    assert _reset(portal, token).status_code == 204
    user_id = portal.user("admin@c1.test").id
    assert portal.events("SessionsEnded") == [{"user_id": user_id, "except_session_id": None}]
    assert _reset(portal, token, "Another-Secret-6").status_code == 410
    assert portal.client.get(f"/auth/password/reset/{token}", headers=portal.as_caller()).status_code == 410
    assert portal.login("admin@c1.test", PASSWORD).status_code == 401
    assert portal.login("admin@c1.test", "Fresh-Start-Key-5").status_code == 200


def test_the_link_expires_after_an_hour(portal):
    portal.register("C1")
    _forgot(portal, "admin@c1.test")
    token = portal.events("PasswordResetRequested")[0]["reset_token"]
    _age_tokens(portal, minutes=59)
    assert portal.client.get(f"/auth/password/reset/{token}", headers=portal.as_caller()).status_code == 200
    _age_tokens(portal, minutes=2)
    gone = _reset(portal, token)
    assert gone.status_code == 410 and gone.json["error"]["code"] == "token_invalid"


def test_a_reset_lifts_the_lock(portal):
    portal.register("C1")
    for _ in range(5):
        portal.login("admin@c1.test", "Wrong-Password-1")
    assert portal.login("admin@c1.test").status_code == 423
    _forgot(portal, "admin@c1.test")
    assert _reset(portal, portal.events("PasswordResetRequested")[0]["reset_token"]).status_code == 204
    assert portal.login("admin@c1.test", "Fresh-Start-Key-5").status_code == 200


def test_tokens_of_one_purpose_open_nothing_else(portal):
    portal.register("C1", activate=False)
    activation = portal.activation_token("admin@c1.test")
    assert _reset(portal, activation).status_code == 410
    assert portal.client.post(f"/identity/email-change/{activation}", headers=portal.as_caller()).status_code == 410
    assert _reset(portal, "x" * 500).status_code == 400  # longer than any token: refused by the schema

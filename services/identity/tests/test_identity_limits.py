"""Identity's time limits, thresholds and scopes, pinned to their exact values through the routes."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from identity_testkit import ADMINISTRATION, PASSWORD, PROFILE, SUPERVISION
from portalkit.db import utcnow

MINUTE = timedelta(minutes=1)
# identity's modules that read the clock while checking a link, a sign-in or a lock.
CLOCKED = ("identity.tokens", "identity.signin", "identity.models")


def _move_clock(monkeypatch, offset: timedelta) -> None:
    """Identity sees the time ``offset`` from now (it reads ``portalkit.db.utcnow`` by name)."""
    for module in CLOCKED:
        monkeypatch.setattr(f"{module}.utcnow", lambda: utcnow() + offset)


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def c1(portal):
    return portal.register("C1")


def _new_user(portal, email="bruno@c1.test", level=2):
    created = portal.create_user(portal.admin_of("C1"), email, security_level=level)
    assert created.status_code == 201, created.json
    return created.json


# --- 1. activation links ---------------------------------------------------------------------

def _activation_expiry(portal, email):
    return _when([e for e in portal.events("UserCreated") if e["email"] == email][-1]["activation_expires_at"])


def test_an_activation_link_lasts_7_days_by_default(portal, c1):
    created = _new_user(portal)
    lifetime = _activation_expiry(portal, "bruno@c1.test") - _when(created["created_at"])
    assert abs(lifetime - timedelta(days=7)) < MINUTE


def test_the_activation_lifetime_follows_its_setting(portal, c1, monkeypatch):
    monkeypatch.setenv("PORTAL_ACTIVATION_TOKEN_DAYS", "2")
    created = _new_user(portal)
    lifetime = _activation_expiry(portal, "bruno@c1.test") - _when(created["created_at"])
    assert abs(lifetime - timedelta(days=2)) < MINUTE


def test_an_activation_link_works_until_it_expires_then_is_gone(portal, c1, monkeypatch):
    _new_user(portal)
    token = portal.activation_token("bruno@c1.test")
    _move_clock(monkeypatch, timedelta(days=7) - MINUTE)
    assert portal.client.get(f"/auth/activation/{token}", headers=portal.as_caller()).status_code == 200
    _move_clock(monkeypatch, timedelta(days=7) + MINUTE)
    gone = portal.client.get(f"/auth/activation/{token}", headers=portal.as_caller())
    assert gone.status_code == 410 and gone.json["error"]["code"] == "token_invalid"
    refused = portal.client.post(f"/auth/activation/{token}", json={**PROFILE, "password": PASSWORD},
                                 headers=portal.as_caller())
    assert refused.status_code == 410


# --- 2. lockout duration ---------------------------------------------------------------------

def _lock_bruno(portal):
    _new_user(portal)
    portal.activate("bruno@c1.test", "Bruno-Secret-1")
    portal.fail_sign_ins("bruno@c1.test", 4)
    before = utcnow()
    portal.fail_sign_ins("bruno@c1.test", 1)  # the 5th failure in a row locks (moderate level)
    after = utcnow()
    seen = portal.client.get(f"/identity/users/{portal.user('bruno@c1.test').id}", headers=portal.admin_of("C1"))
    assert seen.status_code == 200 and seen.json["locked"] is True
    return before, _when(seen.json["locked_until"]), after


def test_the_lock_lasts_15_minutes_by_default(portal, c1):
    before, locked_until, after = _lock_bruno(portal)
    assert before + timedelta(minutes=15) <= locked_until <= after + timedelta(minutes=15)


def test_the_lock_duration_follows_its_setting(portal, c1, monkeypatch):
    monkeypatch.setenv("PORTAL_LOCKOUT_MINUTES", "40")
    before, locked_until, after = _lock_bruno(portal)
    assert before + timedelta(minutes=40) <= locked_until <= after + timedelta(minutes=40)


def test_the_right_password_is_still_refused_14_minutes_after_the_lock(portal, c1, monkeypatch):
    _lock_bruno(portal)
    _move_clock(monkeypatch, timedelta(minutes=14))
    locked = portal.login("bruno@c1.test", "Bruno-Secret-1")
    assert locked.status_code == 423 and locked.json["error"]["code"] == "account_locked"
    _move_clock(monkeypatch, timedelta(minutes=16))
    assert portal.login("bruno@c1.test", "Bruno-Secret-1").status_code == 200


# --- 3. password expiry ----------------------------------------------------------------------

@pytest.mark.parametrize("level", [2, 3])
@pytest.mark.parametrize("age_days, expired", [(89, False), (91, True)])
def test_a_password_expires_after_90_days(portal, level, age_days, expired):
    portal.register("C1", level=level)
    portal.update_user("admin@c1.test", password_changed_at=utcnow() - timedelta(days=age_days))
    answer = portal.login("admin@c1.test")
    assert answer.status_code == 200 and answer.json["password_expired"] is expired


def test_the_password_age_follows_its_setting(portal, monkeypatch):
    monkeypatch.setenv("PORTAL_PASSWORD_MAX_AGE_DAYS", "30")
    portal.register("C1")
    portal.update_user("admin@c1.test", password_changed_at=utcnow() - timedelta(days=29))
    assert portal.login("admin@c1.test").json["password_expired"] is False
    portal.update_user("admin@c1.test", password_changed_at=utcnow() - timedelta(days=31))
    assert portal.login("admin@c1.test").json["password_expired"] is True


# --- 4. strong level lockout -----------------------------------------------------------------

def test_strong_level_locks_after_exactly_5_failures(portal):
    portal.register("C1", level=3)
    portal.fail_sign_ins("admin@c1.test", 4)
    assert portal.login("admin@c1.test").status_code == 200
    portal.fail_sign_ins("admin@c1.test", 5)
    locked = portal.login("admin@c1.test")
    assert locked.status_code == 423 and locked.json["error"]["code"] == "account_locked"


# --- 5. new users since one's last connection ------------------------------------------------

def test_new_since_last_sign_in_counts_users_created_after_the_previous_sign_in(portal, c1):
    portal.register("C2")
    admin = portal.admin_of("C1")
    _new_user(portal, "before@c1.test")
    assert portal.login("admin@c1.test").status_code == 200  # first sign-in: no previous one yet
    assert portal.client.get("/identity/users/counts", headers=admin).json["new_since_last_sign_in"] == 0
    _new_user(portal, "between1@c1.test")
    _new_user(portal, "between2@c1.test")
    assert portal.create_user(portal.admin_of("C2"), "elsewhere@c2.test").status_code == 201  # out of scope
    assert portal.login("admin@c1.test").status_code == 200
    counts = portal.client.get("/identity/users/counts", headers=admin)
    assert counts.status_code == 200
    assert counts.json["new_since_last_sign_in"] == 2
    assert (counts.json["active"], counts.json["not_activated"]) == (1, 3)


# --- 6. not the e-mail address ---------------------------------------------------------------

def _activation_attempt(portal, email, level):
    _new_user(portal, email, level=level)
    token = portal.activation_token(email)
    return lambda password: portal.client.post(f"/auth/activation/{token}", json={**PROFILE, "password": password},
                                               headers=portal.as_caller())


def _broken(response):
    assert response.status_code == 400, response.json
    assert response.json["error"]["code"] == "password_rules"
    return set(response.json["error"]["fields"]["password"])


def test_the_password_may_be_neither_the_address_nor_its_local_part(portal, c1):
    attempt = _activation_attempt(portal, "jean.dupont@c1.test", level=1)
    assert _broken(attempt("jean.dupont@c1.test")) == {"not_email"}
    assert _broken(attempt("jean.dupont")) == {"not_email"}
    assert _broken(attempt("JEAN.DUPONT")) == {"not_email"}  # case-blind
    assert attempt("jean.dupont.2026").status_code == 200  # only the address or its local part as such


def test_the_local_part_is_refused_at_the_strong_level_too(portal, c1):
    attempt = _activation_attempt(portal, "tk7-qwmz.pr@c1.test", level=3)
    assert _broken(attempt("Tk7-Qwmz.pr")) == {"not_email"}  # meets every other strong rule


# --- 7. another company's counts, functions and export ---------------------------------------

CROSS_COMPANY_ROUTES = ("/identity/users/counts", "/identity/functions", "/identity/users.csv")


@pytest.mark.parametrize("route", CROSS_COMPANY_ROUTES)
def test_another_companys_figures_are_not_found(portal, c1, route):
    other = portal.register("C2")
    answer = portal.client.get(f"{route}?company={other}", headers=portal.admin_of("C1"))
    assert answer.status_code == 404 and answer.json["error"]["code"] == "not_found"
    assert portal.client.get(f"{route}?company={other}", headers=portal.admin_of("C2")).status_code == 200


def test_a_supervisor_of_the_other_company_gets_its_figures(portal, c1):
    other = portal.register("C2", parent="C1")
    portal.create_user(portal.admin_of("C2"), "zoe@c2.test", function="Buyer")
    supervisor = portal.as_caller(user_id=portal.user("admin@c1.test").id, company_id=c1, session_id="s1",
                                  entitlements=frozenset({f"{ADMINISTRATION}@{c1}", f"{SUPERVISION}@{other}"}))
    counts = portal.client.get(f"/identity/users/counts?company={other}", headers=supervisor)
    assert counts.status_code == 200
    assert (counts.json["active"], counts.json["not_activated"]) == (1, 1)
    functions = portal.client.get(f"/identity/functions?company={other}", headers=supervisor)
    assert functions.status_code == 200 and functions.json["items"] == ["Buyer", "DSI"]
    export = portal.client.get(f"/identity/users.csv?company={other}", headers=supervisor)
    assert export.status_code == 200
    body = export.get_data(as_text=True)
    assert "admin@c2.test" in body and "zoe@c2.test" in body and "admin@c1.test" not in body

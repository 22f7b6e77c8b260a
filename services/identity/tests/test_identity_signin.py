"""Sign-in: lockout after the level's limit, unlock by administrators, expiry, and the history."""
from __future__ import annotations

from datetime import timedelta

from identity_testkit import ADMINISTRATION, PASSWORD
from portalkit.db import utcnow


def test_moderate_level_locks_after_5_failures_even_with_the_right_password(portal):
    portal.register("C1")
    portal.fail_sign_ins("admin@c1.test", 4)
    assert portal.login("admin@c1.test").status_code == 200  # a success resets the count
    portal.fail_sign_ins("admin@c1.test", 5)
    locked = portal.login("admin@c1.test")
    assert locked.status_code == 423 and locked.json["error"]["code"] == "account_locked"
    event = portal.events("UserLocked")[0]
    assert event["email"] == "admin@c1.test" and event["language"] == "fr"
    assert portal.login("admin@c1.test", "Wrong-Password-1").status_code == 423


def test_weak_level_locks_after_10_failures(portal):
    portal.register("C1", level=1)
    portal.fail_sign_ins("admin@c1.test", 9)
    assert portal.login("admin@c1.test").status_code == 200
    portal.fail_sign_ins("admin@c1.test", 10)
    assert portal.login("admin@c1.test").status_code == 423


def test_the_lock_ends_by_itself(portal, monkeypatch):
    portal.register("C1")
    portal.fail_sign_ins("admin@c1.test", 5)
    assert portal.login("admin@c1.test").status_code == 423
    portal.update_user("admin@c1.test", locked_until=utcnow() - timedelta(seconds=1))
    assert portal.login("admin@c1.test").status_code == 200


def test_administrators_unlock_their_users_only(portal):
    portal.register("C1")
    portal.register("C2")
    assert portal.create_user(portal.admin_of("C1"), "bruno@c1.test").status_code == 201
    portal.activate("bruno@c1.test", "Bruno-Secret-1")
    portal.fail_sign_ins("bruno@c1.test", 10)
    bruno = portal.user("bruno@c1.test")
    assert portal.client.get(f"/identity/users/{bruno.id}", headers=portal.admin_of("C1")).json["locked"] is True
    other = portal.client.post(f"/identity/users/{bruno.id}/unlock", headers=portal.admin_of("C2"))
    assert other.status_code == 404
    plain = portal.client.post(f"/identity/users/{bruno.id}/unlock", headers=portal.caller("bruno@c1.test"))
    assert plain.status_code == 403
    unlocked = portal.client.post(f"/identity/users/{bruno.id}/unlock", headers=portal.admin_of("C1"))
    assert unlocked.status_code == 200 and unlocked.json["locked"] is False
    assert portal.login("bruno@c1.test", "Bruno-Secret-1").status_code == 200
    trail = portal.client.get("/identity/administration-audits?action=user_unlocked", headers=portal.admin_of("C1"))
    assert trail.json["items"][0]["target_id"] == bruno.id


def test_history_lists_successes_and_failures_newest_first(portal):
    portal.register("C1")
    portal.login("admin@c1.test", "Wrong-Password-1", client_ip="198.51.100.4")
    portal.client.post("/auth/login", json={"email": "admin@c1.test", "password": PASSWORD},
                       headers={**portal.as_caller(client_ip="198.51.100.5"), "User-Agent": "Firefox/140"})
    history = portal.client.get("/identity/me/audits", headers=portal.caller("admin@c1.test")).json
    assert history["total"] == 2
    newest, oldest = history["items"]
    assert newest["succeeded"] is True and newest["ip_address"] == "198.51.100.5" and newest["user_agent"] == "Firefox/140"
    assert oldest["succeeded"] is False and oldest["reason"] == "bad_password"
    portal.fail_sign_ins("admin@c1.test", 5)
    portal.login("admin@c1.test")
    reasons = [item["reason"] for item in portal.client.get("/identity/me/audits?per_page=2",
                                                            headers=portal.caller("admin@c1.test")).json["items"]]
    assert reasons == ["locked", "lockout"]


def test_an_expired_password_must_be_changed_first(portal):
    portal.register("C1")
    portal.update_user("admin@c1.test", password_changed_at=utcnow() - timedelta(days=91))
    answer = portal.login("admin@c1.test")
    assert answer.status_code == 200 and answer.json["password_expired"] is True
    renewing = portal.caller("admin@c1.test", {"C1": ADMINISTRATION}, scope="password_change", session_id="s9")
    refused = portal.client.get("/identity/me", headers=renewing)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "password_change_required"
    assert portal.client.get("/identity/users", headers=renewing).status_code == 403
    # What the renewal page needs to list and tick the level's rules, and nothing more.
    profile = portal.client.get("/identity/me/password-profile", headers=renewing)
    assert profile.status_code == 200 and profile.json == {
        "id": portal.user("admin@c1.test").id, "email": "admin@c1.test", "first_name": "Claire",
        "last_name": "Durand", "language": "fr", "security_level": 2}
    assert portal.client.get("/identity/me/password-profile", headers=portal.as_caller()).status_code == 401
    changed = portal.client.post("/identity/me/password", json={"current_password": PASSWORD,
                                                                "new_password": "Renewed-Secret-4"}, headers=renewing)
    assert changed.status_code == 204
    # The renewal session ends with the others: the user signs in again for a full one.
    assert portal.events("SessionsEnded")[-1] == {"user_id": portal.user("admin@c1.test").id, "except_session_id": None}
    assert portal.login("admin@c1.test", "Renewed-Secret-4").json["password_expired"] is False


def test_weak_passwords_never_expire(portal):
    portal.register("C1", level=1)
    portal.update_user("admin@c1.test", password_changed_at=utcnow() - timedelta(days=400))
    assert portal.login("admin@c1.test").json["password_expired"] is False


def test_raising_the_level_asks_for_a_new_password(portal):
    portal.register("C1")
    portal.create_user(portal.admin_of("C1"), "bruno@c1.test", security_level=1)
    portal.activate("bruno@c1.test", "brunobruno")
    bruno = portal.user("bruno@c1.test")
    raised = portal.client.patch(f"/identity/users/{bruno.id}", json={"security_level": 3}, headers=portal.admin_of("C1"))
    assert raised.status_code == 200 and raised.json["security_level"] == 3
    assert portal.events("UserUpdated")[-1]["security_level"] == 3
    assert portal.login("bruno@c1.test", "brunobruno").json["password_expired"] is True


def _lock(portal, email):
    portal.fail_sign_ins(email, 5)
    return portal.events("UserLocked")[-1]


def test_administrators_are_told_once_when_many_of_the_companys_accounts_lock(portal):
    """The 5th account locked within the hour (PORTAL_LOCKOUT_ALERT_*) alerts the administrators."""
    portal.register("C1")
    portal.register("C2")
    for name in ("anna", "ben", "chloe", "dan", "eve", "fred"):
        assert portal.create_user(portal.admin_of("C1"), f"{name}@c1.test", security_level=2).status_code == 201
        portal.activate(f"{name}@c1.test", "Quiet-Harbour-58")
    assert portal.create_user(portal.admin_of("C2"), "zoe@c2.test", security_level=2).status_code == 201
    portal.activate("zoe@c2.test", "Quiet-Harbour-58")

    quiet = [_lock(portal, email) for email in ("zoe@c2.test", "anna@c1.test", "ben@c1.test", "chloe@c1.test",
                                                "dan@c1.test")]
    assert all(event["administrators"] == [] for event in quiet)  # another company's lockout counts apart
    portal.update_user("anna@c1.test", locked_until=None)
    assert _lock(portal, "anna@c1.test")["administrators"] == []  # an account locked again counts once

    alert = _lock(portal, "eve@c1.test")
    assert [a["email"] for a in alert["administrators"]] == ["admin@c1.test"]
    assert alert["administrators"][0]["language"] == "fr"
    assert (alert["company_locked_accounts"], alert["alert_minutes"]) == (5, 60)
    assert _lock(portal, "fred@c1.test")["administrators"] == []  # told once, not at every lockout

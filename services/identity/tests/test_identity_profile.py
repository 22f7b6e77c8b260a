"""One's own account: profile, e-mail change with confirmation, password change."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from identity.models import OneTimeToken
from identity_testkit import PASSWORD


def test_profile_read_and_changed(portal):
    portal.register("C1")
    headers = portal.caller("admin@c1.test")
    me = portal.client.get("/identity/me", headers=headers)
    assert me.status_code == 200 and me.json["email"] == "admin@c1.test" and me.json["status"] == "active"
    changed = portal.client.patch("/identity/me", json={"language": "en", "mobile_phone": "+33 6 12 34 56 78",
                                                        "first_name": "Claire-Marie"}, headers=headers)
    assert changed.status_code == 200 and changed.json["display_name"] == "Claire-Marie Durand"
    event = portal.events("UserUpdated")[-1]
    assert event["language"] == "en" and event["first_name"] == "Claire-Marie" and event["security_level"] == 2
    for bad in ({"language": "de"}, {"email": "x@y.test"}, {"security_level": 3}, {"first_name": ""},
                {"title": "DR"}, {"function": "x" * 101}):
        refused = portal.client.patch("/identity/me", json=bad, headers=headers)
        assert refused.status_code == 400 and refused.json["error"]["code"] == "invalid_input", bad
    assert portal.client.patch("/identity/me", json={}, headers=portal.as_caller()).status_code == 401


def test_email_change_needs_the_new_address_confirmed(portal):
    portal.register("C1")
    portal.register("C2")
    headers = portal.caller("admin@c1.test")
    own = portal.client.post("/identity/me/email", json={"new_email": "ADMIN@c1.test"}, headers=headers)
    assert own.status_code == 409 and own.json["error"]["code"] == "email_in_use"
    assert portal.client.post("/identity/me/email", json={"new_email": "nope"}, headers=headers).status_code == 400
    asked = portal.client.post("/identity/me/email", json={"new_email": "Claire.New@c1.test"}, headers=headers)
    assert asked.status_code == 202
    [request] = portal.events("EmailChangeRequested")
    assert request["new_email"] == "claire.new@c1.test" and request["email"] == "admin@c1.test"
    assert portal.login("admin@c1.test").status_code == 200  # the old address is the login until confirmed
    assert portal.login("claire.new@c1.test").status_code == 401
    token = request["confirmation_token"]
    assert portal.client.post(f"/identity/email-change/{token}", headers=portal.as_caller()).status_code == 204
    assert portal.login("claire.new@c1.test").status_code == 200
    assert portal.login("admin@c1.test").status_code == 401
    [changed] = portal.events("UserEmailChanged")
    assert changed["previous_email"] == "admin@c1.test" and changed["email"] == "claire.new@c1.test"
    assert portal.events("UserUpdated")[-1]["email"] == "claire.new@c1.test"
    assert portal.client.post(f"/identity/email-change/{token}", headers=portal.as_caller()).status_code == 410


def test_another_accounts_address_is_answered_like_a_free_one_and_never_confirmed(portal):
    portal.register("C1")
    portal.register("C2")
    headers = portal.caller("admin@c1.test")
    answers, requests = [], []
    for address in ("ADMIN@c2.test", "op@vendor.test", "free@c1.test"):  # another company's, an operator's, free
        answer = portal.client.post("/identity/me/email", json={"new_email": address}, headers=headers)
        answers.append((answer.status_code, answer.data))
        requests.append(portal.events("EmailChangeRequested")[-1])
        if address != "free@c1.test":  # its owner's mailbox is the only one that can try the link
            confirmed = portal.client.post(f"/identity/email-change/{requests[-1]['confirmation_token']}",
                                           headers=portal.as_caller())
            assert confirmed.status_code == 409 and confirmed.json["error"]["code"] == "email_in_use"
    assert answers == [(202, b"")] * 3
    assert [request["new_email"] for request in requests] == ["admin@c2.test", "op@vendor.test", "free@c1.test"]
    assert requests[0].keys() == requests[2].keys()
    assert portal.login("admin@c2.test").status_code == 200 and portal.login("admin@c1.test").status_code == 200
    assert portal.events("UserEmailChanged") == []


def test_an_address_taken_before_confirmation_is_refused(portal):
    portal.register("C1")
    portal.client.post("/identity/me/email", json={"new_email": "wanted@c1.test"}, headers=portal.caller("admin@c1.test"))
    token = portal.events("EmailChangeRequested")[0]["confirmation_token"]
    assert portal.create_user(portal.admin_of("C1"), "wanted@c1.test").status_code == 201
    late = portal.client.post(f"/identity/email-change/{token}", headers=portal.as_caller())
    assert late.status_code == 409 and late.json["error"]["code"] == "email_in_use"


def test_email_change_link_expires(portal):
    portal.register("C1")
    portal.client.post("/identity/me/email", json={"new_email": "new@c1.test"}, headers=portal.caller("admin@c1.test"))
    with portal.database.transaction() as session:
        record = session.scalar(select(OneTimeToken).where(OneTimeToken.purpose == "email_change"))
        record.expires_at -= timedelta(hours=24)
    token = portal.events("EmailChangeRequested")[0]["confirmation_token"]
    assert portal.client.post(f"/identity/email-change/{token}", headers=portal.as_caller()).status_code == 410


def test_password_change_needs_the_current_one_and_ends_the_other_sessions(portal):
    portal.register("C1")
    headers = portal.caller("admin@c1.test", session_id="mine")

    def change(current, new):
        return portal.client.post("/identity/me/password", json={"current_password": current, "new_password": new},
                                  headers=headers)
    wrong = change("Not-The-Password-1", "Another-Secret-8")
    assert wrong.status_code == 400 and "current_password" in wrong.json["error"]["fields"]
    rules = change(PASSWORD, "short")
    assert rules.status_code == 400 and "min_length_8" in rules.json["error"]["fields"]["password"]
    assert change(PASSWORD, "Another-Secret-8").status_code == 204
    assert portal.events("SessionsEnded") == [{"user_id": portal.user("admin@c1.test").id,
                                               "except_session_id": "mine"}]
    assert portal.login("admin@c1.test", "Another-Secret-8").status_code == 200
    anonymous = portal.client.post("/identity/me/password", json={"current_password": "a", "new_password": "b"},
                                   headers=portal.as_caller())
    assert anonymous.status_code == 401


def test_guessing_the_current_password_locks_the_account_like_failed_sign_ins(portal):
    """A stolen session gets no more tries at the password than a sign-in page would give."""
    portal.register("C1")  # moderate level: 5 failures in a row lock
    headers = portal.caller("admin@c1.test", session_id="stolen")

    def change(current):
        return portal.client.post("/identity/me/password", json={"current_password": current,
                                                                 "new_password": "Another-Secret-8"}, headers=headers)
    for _ in range(4):
        assert change("Not-The-Password-1").status_code == 400
    assert portal.login("admin@c1.test").status_code == 200  # a success resets the count
    for _ in range(5):
        assert change("Not-The-Password-1").status_code == 400
    locked = change(PASSWORD)
    assert locked.status_code == 423 and locked.json["error"]["code"] == "account_locked"
    assert portal.login("admin@c1.test").status_code == 423
    assert portal.events("UserLocked")[-1]["email"] == "admin@c1.test"
    history = portal.client.get("/identity/me/audits", headers=portal.caller("admin@c1.test")).json["items"]
    assert [entry["reason"] for entry in history[:3]] == ["locked", "lockout", "bad_password"]

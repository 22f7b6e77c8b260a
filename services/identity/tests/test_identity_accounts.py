"""Company registration, activation and sign-in checks, through identity's routes."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from identity.models import OneTimeToken, OutboxMessage, User
from portalkit.db import utcnow

ADMIN = {"email": "Claire@Client.test", "title": "MME", "first_name": "Claire", "last_name": "Durand",
         "language": "fr"}
PROFILE = {"title": "MME", "first_name": "Claire", "last_name": "Durand", "language": "fr",
           "function": "DSI", "office_phone": "", "mobile_phone": ""}


def _events(database, event_type):
    with database.sessions() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.routing_key == f"identity.{event_type}"))
        return [json.loads(row.body)["data"] for row in rows]


def _register(client, as_caller, number="C1", admin=ADMIN):
    return client.post("/operator/companies", json={"number": number, "name": "Client", "administrator": admin},
                       headers=as_caller(user_id="op", operator=True))


def _activation_token(database):
    return _events(database, "UserCreated")[-1]["activation_token"]


def test_only_operators_register_companies(client, as_caller):
    assert client.post("/operator/companies", json={}, headers=as_caller()).status_code == 401
    refused = client.post("/operator/companies", json={"number": "C1", "name": "X", "administrator": ADMIN},
                          headers=as_caller(user_id="u", company_id="c"))
    assert refused.status_code == 403
    assert client.post("/operator/companies", json={}, headers={}).json["error"]["code"] == "identity_missing"


def test_registration_records_the_company_and_mails_the_administrator(client, as_caller, database):
    response = _register(client, as_caller)
    assert response.status_code == 201
    assert response.json["administrator"]["email"] == "claire@client.test"
    created = _events(database, "UserCreated")[0]
    assert created["language"] == "fr" and len(created["activation_token"]) >= 22
    assert _events(database, "CompanyRegistered")[0]["number"] == "C1"
    with database.sessions() as session:  # only a digest of the token is stored
        stored = session.scalars(select(OneTimeToken.token_hash)).all()
        assert created["activation_token"] not in stored


def test_registration_refusals(client, as_caller):
    assert _register(client, as_caller).status_code == 201
    again = _register(client, as_caller)
    assert again.status_code == 409 and again.json["error"]["code"] == "company_exists"
    same_admin = _register(client, as_caller, number="C2")
    assert same_admin.status_code == 409 and same_admin.json["error"]["code"] == "user_exists"
    bad = _register(client, as_caller, number="C3", admin={**ADMIN, "email": "not-an-address", "title": "DR"})
    assert bad.status_code == 400 and set(bad.json["error"]["fields"]["administrator"]) == {"email", "title"}
    unknown = client.post("/operator/companies", json={"number": "C4", "name": "X", "administrator": ADMIN, "x": 1},
                          headers=as_caller(user_id="op", operator=True))
    assert unknown.status_code == 400


def test_activation_is_single_use_and_publishes_the_user(client, as_caller, database):
    _register(client, as_caller)
    token = _activation_token(database)
    assert client.get(f"/auth/activation/{token}", headers=as_caller()).json["email"] == "claire@client.test"
    weak = client.post(f"/auth/activation/{token}", json={**PROFILE, "password": "durand123"}, headers=as_caller())
    assert weak.status_code == 400
    assert set(weak.json["error"]["fields"]["password"]) >= {"three_character_classes", "no_part_of_name"}
    done = client.post(f"/auth/activation/{token}", json={**PROFILE, "password": "Portal-Access-93"}, headers=as_caller())
    assert done.status_code == 200 and done.json["status"] == "active"
    activated = _events(database, "UserActivated")[0]
    assert activated["company_administrator"] is True and activated["security_level"] == 2
    assert client.post(f"/auth/activation/{token}", json={**PROFILE, "password": "Portal-Access-93"},
                       headers=as_caller()).status_code == 410
    assert client.get(f"/auth/activation/{token}", headers=as_caller()).status_code == 410


def test_expired_activation_link_is_gone(client, as_caller, database):
    _register(client, as_caller)
    token = _activation_token(database)
    with database.transaction() as session:
        for record in session.scalars(select(OneTimeToken)):
            record.expires_at = utcnow() - timedelta(seconds=1)
    assert client.get(f"/auth/activation/{token}", headers=as_caller()).status_code == 410


def test_a_new_activation_mail_replaces_the_old_link(client, as_caller, database, app):
    from identity import accounts
    from identity.settings import IdentitySettings
    _register(client, as_caller)
    first = _activation_token(database)
    with database.sessions() as session:
        user = session.scalar(select(User).where(User.email == "claire@client.test"))
        accounts.send_activation(session, IdentitySettings.load(), user)
        session.commit()
    second = _activation_token(database)
    assert client.get(f"/auth/activation/{first}", headers=as_caller()).status_code == 410
    assert client.get(f"/auth/activation/{second}", headers=as_caller()).status_code == 200


def test_sign_in_checks_and_lockout(client, as_caller, database):
    _register(client, as_caller)
    token = _activation_token(database)
    client.post(f"/auth/activation/{token}", json={**PROFILE, "password": "Portal-Access-93"}, headers=as_caller())
    login = {"email": "CLAIRE@client.test", "password": "Portal-Access-93"}
    ok = client.post("/auth/login", json=login, headers=as_caller(client_ip="192.0.2.7"))
    assert ok.status_code == 200 and ok.json["user"]["company"]["number"] == "C1"
    unknown = client.post("/auth/login", json={"email": "nobody@x.test", "password": "x"}, headers=as_caller())
    assert unknown.status_code == 401 and unknown.json["error"]["code"] == "invalid_credentials"
    for _ in range(5):  # moderate level: locked after 5 failures in a row
        assert client.post("/auth/login", json={**login, "password": "wrong"}, headers=as_caller()).status_code == 401
    locked = client.post("/auth/login", json=login, headers=as_caller())
    assert locked.status_code == 423 and locked.json["error"]["code"] == "account_locked"
    assert _events(database, "UserLocked")[0]["email"] == "claire@client.test"


def test_the_operator_is_bootstrapped_once(client, as_caller, database):
    from identity.app import create_app
    create_app()  # a second start creates nothing more
    with database.sessions() as session:
        assert len(session.scalars(select(User).where(User.is_operator)).all()) == 1
    response = client.post("/auth/login", json={"email": "op@vendor.test", "password": "Operator-Pass-2026!"},
                           headers=as_caller())
    assert response.status_code == 200 and response.json["user"]["operator"] is True


def test_activation_keeps_what_the_administrator_entered_when_left_out(portal):
    portal.register("C1")
    created = portal.create_user(portal.admin_of("C1"), "bruno@c1.test", language="fr", function="Buyer",
                                 office_phone="+33 1 23 45 67 89", mobile_phone="+33 6 12 34 56 78")
    assert created.status_code == 201, created.json
    token = portal.activation_token("bruno@c1.test")
    done = portal.client.post(f"/auth/activation/{token}", headers=portal.as_caller(), json={
        "title": "M", "first_name": "Bruno", "last_name": "Petit", "password": "Quiet-Harbour-58"})
    assert done.status_code == 200, done.json
    assert (done.json["language"], done.json["function"], done.json["office_phone"], done.json["mobile_phone"]) == (
        "fr", "Buyer", "+33 1 23 45 67 89", "+33 6 12 34 56 78")


ACTIVATION_BODIES = [{}, {"password": "Tk7#qwmzpr-11"}, {"first_name": "", "colour": "blue"}, {**PROFILE}]


def test_a_used_or_expired_activation_link_is_410_whatever_the_body(portal):
    portal.register("C1", activate=False)
    used = portal.activation_token("admin@c1.test")
    portal.activate("admin@c1.test")
    assert portal.create_user(portal.admin_of("C1"), "late@c1.test").status_code == 201
    expired = portal.activation_token("late@c1.test")
    with portal.database.transaction() as session:
        for record in session.scalars(select(OneTimeToken).where(OneTimeToken.purpose == "activation",
                                                                 OneTimeToken.used_at.is_(None))):
            record.expires_at = utcnow() - timedelta(minutes=1)
    for token in (used, expired, "never-issued"):
        assert portal.client.get(f"/auth/activation/{token}", headers=portal.as_caller()).status_code == 410
        for body in ACTIVATION_BODIES:
            answer = portal.client.post(f"/auth/activation/{token}", json=body, headers=portal.as_caller())
            assert answer.status_code == 410 and answer.json["error"]["code"] == "token_invalid", (token, body)
        not_json = portal.client.post(f"/auth/activation/{token}", data="{", content_type="application/json",
                                      headers=portal.as_caller())
        assert not_json.status_code == 410

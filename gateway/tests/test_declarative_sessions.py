"""The declarative sign-in and its scope: a declarative session names the declarant, the role and
the entities, reaches the declarative routes only, and a portal session never opens them."""
import json

import pytest

DECLARANT = {"id": "d1", "login": "decl.one", "role": "supervisor", "display_name": "Denis Martin",
             "language": "fr", "company": {"id": "c1", "name": "Acme", "siren": "732829320"},
             "entities": [{"id": "c1", "name": "Acme", "siren": "732829320"},
                          {"id": "c2", "name": "Acme Sud", "siren": "552100554"}]}
USER = {"id": "u1", "email": "ann@acme.test", "display_name": "Ann Lee", "language": "en",
        "operator": False, "company": {"id": "c1", "name": "Acme"}}


@pytest.fixture
def identity_service(services):
    fake = services["identity"]

    def declarative_login(seen):
        credentials = json.loads(seen.body)
        if credentials.get("password") != "secret":
            return 401, {"error": {"code": "invalid_credentials", "message": "Wrong login or password."}}
        return 200, {"declarant": DECLARANT}

    fake.routes[("POST", "/auth/declarative/login")] = declarative_login
    fake.routes[("POST", "/auth/login")] = lambda seen: (200, {"user": USER, "password_expired": False})
    fake.routes[("GET", "/auth/declarative/audits")] = lambda seen: (200, {"items": [], "total": 0})
    fake.routes[("GET", "/identity/me")] = lambda seen: (200, USER)
    return fake


def _declarative(client, password="secret"):
    return client.post("/api/auth/declarative/login", json={"login": "decl.one", "password": password})


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_the_declarative_session_names_the_declarant_its_role_and_entities(client, identity_service):
    answer = _declarative(client)
    assert answer.status_code == 200 and set(answer.json) == {"token", "expires_at", "declarant"}
    assert identity_service.received[-1].identity.user_id is None
    assert client.get("/api/auth/declarative/audits", headers=_bearer(answer.json["token"])).status_code == 200
    identity = identity_service.last.identity
    assert (identity.user_id, identity.company_id, identity.scope, identity.declarant_role) == \
        ("d1", "c1", "declarative", "supervisor")
    # The entities are not carried: declarations derives them from the company and the role.
    assert identity.entities == frozenset() and identity.entitlements == frozenset()


def test_a_refused_declarative_sign_in_passes_through(client, identity_service):
    answer = _declarative(client, "wrong")
    assert answer.status_code == 401 and answer.json["error"]["code"] == "invalid_credentials"
    bad = client.post("/api/auth/declarative/login", json={"login": 5, "password": "x"})
    assert bad.status_code == 400 and "login" in bad.json["error"]["fields"]


@pytest.mark.parametrize("path", ["/api/identity/me", "/api/catalog/subscriptions", "/api/assets/inventory"])
def test_a_declarative_token_on_a_portal_route_is_refused(client, services, identity_service, path):
    token = _declarative(client).json["token"]
    answer = client.get(path, headers=_bearer(token))
    assert answer.status_code == 401 and answer.json["error"]["code"] == "portal_sign_in_required"
    assert all(seen.path != path.removeprefix("/api") for fake in services.values() for seen in fake.received)
    logout = client.post("/api/auth/logout", headers=_bearer(token))
    assert logout.status_code == 401 and logout.json["error"]["code"] == "portal_sign_in_required"


@pytest.mark.parametrize("path", ["/api/declarations/deposits", "/api/declarations"])
def test_a_portal_token_or_none_on_a_declarative_route_is_refused(client, identity_service, path):
    token = client.post("/api/auth/login", json={"email": "ann@acme.test", "password": "x"}).json["token"]
    for headers in (_bearer(token), {}):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 401 and answer.json["error"]["code"] == "declarative_sign_in_required"
    refused = client.post("/api/auth/declarative/logout", headers=_bearer(token))
    assert refused.json["error"]["code"] == "declarative_sign_in_required"


def test_a_declarative_session_reaches_the_declarations_service(client, identity_service, services):
    token = _declarative(client).json["token"]
    assert client.get("/api/declarations/deposits", headers=_bearer(token)).status_code == 200
    assert services["declarations"].received[-1].path == "/declarations/deposits"


@pytest.mark.parametrize("path", ["/api/declarations/receipts/keys", "/api/declarations/openapi.json"])
def test_the_receipts_public_keys_and_the_document_need_no_session(client, identity_service, services, path):
    assert client.get(path).status_code == 200
    assert services["declarations"].received[-1].path == path.removeprefix("/api")
    assert client.get("/api/declarations/receipts").status_code == 401  # only those two


def test_the_declarative_sign_out_ends_the_session_at_once(client, identity_service):
    token = _declarative(client).json["token"]
    assert client.post("/api/auth/declarative/logout", headers=_bearer(token)).status_code == 204
    assert client.get("/api/auth/declarative/audits", headers=_bearer(token)).status_code == 401


def test_the_declarative_sign_in_is_throttled_per_login(client, identity_service, monkeypatch):
    from gateway.throttle import SIGN_IN, attempt_of
    attempt = attempt_of("POST", "/auth/declarative/login", {"login": " Decl.One "}, "192.0.2.1")
    assert (attempt.action, attempt.account) == (SIGN_IN, "declarant:decl.one")
    assert attempt_of("POST", "/auth/declarative/password/tok1", {}, "a").account == "tok1"
    assert attempt_of("POST", "/auth/declarative/password/forgot", {"login": "x"}, "a").account == "declarant:x"

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


class Endless:
    """A body as long as asked, made as it is read: never all in memory, here or at the gateway;
    ``taken`` counts what was read."""

    def __init__(self, size: int):
        self.size, self.position, self.taken = size, 0, 0

    def tell(self) -> int:  # the test client measures the body by seeking
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = offset if whence == 0 else self.size + offset if whence == 2 else self.position + offset
        return self.position

    def read(self, size: int = -1) -> bytes:
        left = self.size - self.position
        size = left if size is None or size < 0 else min(size, left)
        self.position += size
        self.taken += size
        return b"x" * size


def test_a_deposit_past_declarations_limit_is_413_at_the_gateway(client, identity_service, services, monkeypatch):
    """PORTAL_DECLARATIONS_MAX_BYTES caps the deposit route at the gateway too (the form's overhead
    over it): a 50 MB upload is refused before a byte is forwarded, or once the limit is passed."""
    from portalkit.uploads import FORM_OVERHEAD
    headers = {**_bearer(_declarative(client).json["token"]), "Content-Type": "application/edifact"}
    fifty_mb = 50 * 1024 * 1024
    body = Endless(fifty_mb)
    declared = client.post("/api/declarations/deposits", headers=headers, input_stream=body)
    assert declared.status_code == 413 and body.taken == 0 and declared.json["error"]["code"] == "too_large"
    assert str(8 * 1024 * 1024 + FORM_OVERHEAD) in declared.json["error"]["message"]
    assert [seen for seen in services["declarations"].received if seen.method == "POST"] == []
    endless = Endless(fifty_mb)
    # Chunked (no length to check first): counted as it streams on, cut past the limit.
    chunked = client.post("/api/declarations/deposits", headers={**headers, "Transfer-Encoding": "chunked"},
                          input_stream=endless, environ_overrides={"CONTENT_LENGTH": ""})
    assert chunked.status_code == 413
    # Read no further than the limit and a chunk: the rest of the 50 MB was never taken in.
    limit = 8 * 1024 * 1024 + FORM_OVERHEAD
    assert limit < endless.taken <= limit + 1024 * 1024
    # Within the limit, past the JSON bodies' one: through.
    two_mb = b"x" * (2 * 1024 * 1024)
    assert client.post("/api/declarations/deposits", headers=headers, data=two_mb).status_code == 200
    assert len(services["declarations"].last.body) == len(two_mb)


def test_the_gateway_s_deposit_limit_follows_declarations_variable(identity_service, services, monkeypatch):
    from portalkit.uploads import FORM_OVERHEAD

    from gateway.app import create_app
    monkeypatch.setenv("PORTAL_DECLARATIONS_MAX_BYTES", "1000")
    client = create_app({"TESTING": True}).test_client()
    headers = {**_bearer(_declarative(client).json["token"]), "Content-Type": "application/edifact"}
    assert client.post("/api/declarations/deposits", headers=headers,
                       data=b"x" * (1000 + FORM_OVERHEAD + 1)).status_code == 413
    assert [seen for seen in services["declarations"].received if seen.method == "POST"] == []
    assert client.post("/api/declarations/deposits", headers=headers,
                       data=b"x" * (1000 + FORM_OVERHEAD)).status_code == 200

import pytest

from gateway import auth

USER = {"id": "u1", "email": "ann@acme.test", "display_name": "Ann Lee", "language": "fr",
        "operator": False, "company": {"id": "c1", "name": "Acme"}}
REFUSALS = {
    "wrong@acme.test": (401, {"error": {"code": "invalid_credentials", "message": "Wrong e-mail address or password."}}),
    "locked@acme.test": (423, {"error": {"code": "account_locked", "message": "Locked."}}),
    "busy@acme.test": (429, {"error": {"code": "too_many_requests", "message": "Slow down."}}),
}


@pytest.fixture
def identity_service(services):
    """identity's POST /auth/login as the gateway sees it: it checks, the gateway opens the session."""
    fake = services["identity"]

    def login(seen):
        import json
        credentials = json.loads(seen.body)
        if "password" not in credentials:
            return 400, {"error": {"code": "invalid_input", "message": "Some fields are invalid.",
                                   "fields": {"password": ["Missing data for required field."]}}}
        if credentials["email"] in REFUSALS:
            return REFUSALS[credentials["email"]]
        return 200, {"user": USER, "password_expired": credentials["email"] == "old@acme.test"}

    fake.routes[("POST", "/auth/login")] = login
    return fake


def sign_in(client, email="ann@acme.test", **kwargs):
    return client.post("/api/auth/login", json={"email": email, "password": "secret"}, **kwargs)


def test_signing_in_answers_a_token_that_opens_the_api(client, services, identity_service):
    answer = sign_in(client, headers={"User-Agent": "tests/1.0"}, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert answer.status_code == 200
    body = answer.json
    assert set(body) == {"token", "expires_at", "user"} and body["user"] == USER
    assert len(body["token"]) >= 43  # 256 random bits, URL-safe
    check = identity_service.received[0]
    assert check.headers["User-Agent"] == "tests/1.0"
    assert check.identity.client_ip == "192.0.2.7" and check.identity.user_id is None

    client.get("/api/catalog/subscriptions", headers={"Authorization": f"Bearer {body['token']}"})
    identity = services["catalog"].last.identity
    assert (identity.user_id, identity.company_id, identity.language, identity.scope) == ("u1", "c1", "fr", "full")


@pytest.mark.parametrize("email", sorted(REFUSALS))
def test_identity_refusals_pass_through_unchanged(client, identity_service, email):
    answer = sign_in(client, email)
    assert (answer.status_code, answer.json) == REFUSALS[email]


def test_identity_input_errors_pass_through(client, identity_service):
    answer = client.post("/api/auth/login", json={"email": "ann@acme.test"})
    assert answer.status_code == 400
    assert answer.json["error"]["fields"] == {"password": ["Missing data for required field."]}


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"email": 5, "password": "x"}', b""])
def test_a_malformed_sign_in_is_400_without_calling_identity(client, identity_service, body):
    answer = client.post("/api/auth/login", data=body, content_type="application/json")
    assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_input"
    assert identity_service.received == []


def test_an_expired_password_opens_a_session_only_for_changing_it(client, services, identity_service):
    answer = sign_in(client, "old@acme.test")
    assert answer.status_code == 403
    assert answer.json["error"]["code"] == "password_expired"
    assert answer.json["token"] and answer.json["expires_at"]
    client.post("/api/identity/me/password", json={},
                headers={"Authorization": f"Bearer {answer.json['token']}"})
    assert services["identity"].last.identity.scope == "password_change"


def test_signing_out_ends_the_token_at_once(client, services, identity_service):
    token = sign_in(client).json["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/catalog/services", headers=bearer).status_code == 200
    assert client.post("/api/auth/logout", headers=bearer).status_code == 204
    assert client.get("/api/catalog/services", headers=bearer).status_code == 401
    assert client.post("/api/auth/logout", headers=bearer).status_code == 401


def test_signing_out_without_a_session_is_401(client, identity_service):
    answer = client.post("/api/auth/logout")
    assert answer.status_code == 401 and answer.json["error"]["code"] == "not_signed_in"


def test_signing_out_by_cookie_needs_the_portal_header_and_clears_the_cookie(client, gateway, identity_service):
    token = sign_in(client).json["token"]
    client.set_cookie("portal_session", token)
    assert client.post("/api/auth/logout").status_code == 403
    answer = client.post("/api/auth/logout", headers={"X-Requested-With": "portal"})
    assert answer.status_code == 204
    assert "portal_session=;" in answer.headers["Set-Cookie"]
    assert gateway.sign_in.current_user(token) is None


def test_the_pages_interface_signs_in_and_out(gateway, services, identity_service):
    signing = gateway.sign_in
    result = signing.sign_in("ann@acme.test", "secret", "192.0.2.8", "browser")
    assert result.status == 200 and result.token and result.expires_at is not None
    user = signing.current_user(result.token)
    assert (user.user_id, user.display_name, user.company_name, user.scope) == ("u1", "Ann Lee", "Acme", "full")
    identity = auth.identity_for(user, "192.0.2.8")
    assert (identity.user_id, identity.session_id, identity.client_ip) == ("u1", user.session_id, "192.0.2.8")
    assert auth.identity_for(None, "192.0.2.8").user_id is None
    assert signing.sign_out(result.token) is True
    assert signing.current_user(result.token) is None
    assert signing.sign_out(result.token) is False

    refused = signing.sign_in("wrong@acme.test", "secret", None, None)
    assert (refused.status, refused.token) == (401, None)


def test_signing_in_while_identity_is_down_is_503(var_dir, services, monkeypatch, closed_port):
    monkeypatch.setenv("PORTAL_IDENTITY_URL", f"http://127.0.0.1:{closed_port}")
    from gateway.app import create_app
    answer = sign_in(create_app().test_client())
    assert answer.status_code == 503 and answer.json["error"]["code"] == "service_unavailable"

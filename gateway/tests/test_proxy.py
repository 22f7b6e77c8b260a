import pytest

from portalkit.signed_identity import InvalidIdentity


def test_a_call_reaches_its_service_at_the_mapped_path_with_its_query(client, services):
    answer = client.get("/api/catalog/services?family=Support&q=a%20b")
    assert answer.status_code == 200
    seen = services["catalog"].last
    assert (seen.method, seen.path, seen.query) == ("GET", "/catalog/services", "family=Support&q=a%20b")
    assert services["identity"].received == []


def test_an_unknown_route_is_404_in_the_error_shape(client, services):
    # An empty segment too: a service would answer it with a redirect naming its own address.
    for path in ("/api/nothing/here", "/api/", "/api", "/api/catalog/../identity/users", "/api/auth//login",
                 "/api/identity//users"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert answer.json == {"error": {"code": "not_found", "message": "No such route."}}
    assert all(not fake.received for fake in services.values())


def test_a_service_that_is_down_is_503(var_dir, services, monkeypatch, closed_port):
    monkeypatch.setenv("PORTAL_CATALOG_URL", f"http://127.0.0.1:{closed_port}")
    from gateway.app import create_app
    answer = create_app().test_client().get("/api/catalog/services")
    assert answer.status_code == 503
    assert answer.json["error"]["code"] == "service_unavailable"


def test_a_service_that_does_not_answer_in_time_is_504(var_dir, services, monkeypatch, slow):
    services["support"].routes[("GET", "/support/requests")] = slow(2.0)
    monkeypatch.setenv("PORTAL_UPSTREAM_READ_TIMEOUT", "0.3")
    from gateway.app import create_app
    answer = create_app().test_client().get("/api/support/requests")
    assert answer.status_code == 504
    assert answer.json["error"]["code"] == "upstream_timeout"


def test_an_anonymous_call_carries_a_signed_anonymous_identity(client, services):
    client.get("/api/auth/activation/abc", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    identity = services["identity"].last.identity
    assert not isinstance(identity, InvalidIdentity)
    assert identity.user_id is None and identity.client_ip == "203.0.113.9"


def test_a_forged_identity_never_reaches_a_service(client, services, open_session):
    forged = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJib3NzIiwib3AiOnRydWV9."
    for headers in ({"X-Portal-Identity": forged},
                    {"X-Portal-Identity": forged, "Authorization": f"Bearer {open_session('u7')}"}):
        client.get("/api/catalog/services", headers=headers)
        seen = services["catalog"].last
        assert seen.headers["X-Portal-Identity"] != forged
        assert not seen.identity.operator
        assert seen.identity.user_id in (None, "u7")


def test_a_bearer_call_carries_the_user_and_their_entitlements(client, services, open_session, grant):
    token = open_session("u1", "c1", operator=False, language="fr")
    grant("u1", "request-service", "c1")
    client.get("/api/support/requests", headers={"Authorization": f"Bearer {token}"},
               environ_base={"REMOTE_ADDR": "198.51.100.4"})
    identity = services["support"].last.identity
    assert (identity.user_id, identity.company_id, identity.language) == ("u1", "c1", "fr")
    assert identity.client_ip == "198.51.100.4" and identity.scope == "full"
    assert identity.entitlements == frozenset({"request-service@c1"})
    assert identity.session_id


def test_credentials_are_not_passed_on(client, services, open_session):
    token = open_session()
    client.get("/api/assets/products", headers={"Authorization": f"Bearer {token}",
                                                "Cookie": f"portal_session={token}; theme=dark"})
    headers = {name.lower() for name in services["assets"].last.headers}
    assert "authorization" not in headers and "cookie" not in headers


def test_hop_by_hop_headers_are_dropped_and_others_kept(client, services):
    client.get("/api/assets/products", headers={
        "Connection": "keep-alive, X-Private-Hop", "X-Private-Hop": "1", "Keep-Alive": "timeout=5",
        "Upgrade": "websocket", "TE": "trailers", "Accept-Language": "fr", "X-Trace": "t-1"})
    headers = {name.lower(): value for name, value in services["assets"].last.headers.items()}
    for dropped in ("x-private-hop", "keep-alive", "upgrade", "te"):
        assert dropped not in headers
    assert headers["accept-language"] == "fr" and headers["x-trace"] == "t-1"
    assert headers["host"].startswith("127.0.0.1:")


def test_an_invalid_bearer_token_is_401(client, services):
    for token in ("not-a-session", "x" * 500):
        answer = client.get("/api/catalog/services", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 401
        assert answer.json["error"]["code"] == "not_signed_in"
    assert services["catalog"].received == []


def test_an_api_document_is_public_even_with_a_stale_token(client, services):
    answer = client.get("/api/catalog/openapi.json", headers={"Authorization": "Bearer stale"})
    assert answer.status_code == 200
    assert services["catalog"].last.identity.user_id is None


def test_a_stale_cookie_leaves_the_call_anonymous(client, services):
    client.set_cookie("portal_session", "ended-long-ago")
    assert client.get("/api/knowledge/articles").status_code == 200
    assert services["knowledge"].last.identity.user_id is None


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_cookie_call_that_changes_something_needs_the_portal_header(client, services, open_session, method):
    client.set_cookie("portal_session", open_session("u2"))
    refused = client.open("/api/support/requests/1", method=method, json={})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "csrf_failed"
    assert services["support"].received == []
    allowed = client.open("/api/support/requests/1", method=method, json={},
                          headers={"X-Requested-With": "portal"})
    assert allowed.status_code == 200
    assert services["support"].last.identity.user_id == "u2"


def test_the_csrf_rule_spares_reads_and_bearer_calls(client, services, open_session):
    token = open_session("u3")
    client.set_cookie("portal_session", token)
    assert client.get("/api/support/requests").status_code == 200
    assert client.post("/api/support/requests", json={},
                       headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_request_and_answer_bodies_pass_through_whole(client, services):
    big = bytes(range(256)) * 4096  # 1 MiB: streamed both ways
    services["assets"].routes[("POST", "/assets/files")] = lambda seen: (201, seen.body)
    answer = client.post("/api/assets/files", data=big, content_type="application/octet-stream")
    assert answer.status_code == 201
    assert answer.data == big
    assert services["assets"].last.headers["Content-Type"] == "application/octet-stream"


def test_a_service_refusal_passes_through_unchanged(client, services):
    refusal = {"error": {"code": "user_exists", "message": "Taken.", "fields": {"email": ["used"]}}}
    services["identity"].routes[("POST", "/identity/users")] = lambda seen: (409, refusal)
    answer = client.post("/api/identity/users", json={"email": "a@b.c"})
    assert answer.status_code == 409 and answer.json == refusal


def test_paths_and_queries_reach_the_service_as_the_client_wrote_them(client, services):
    client.get("/api/knowledge/articles/caf%C3%A9 cr%C3%A8me?q=cr%C3%A8me+br%C3%BBl%C3%A9e&x=%26")
    seen = services["knowledge"].last
    assert seen.path == "/knowledge/articles/café crème"
    assert seen.query == "q=cr%C3%A8me+br%C3%BBl%C3%A9e&x=%26"


def test_an_unexpected_failure_is_a_500_in_the_error_shape(client, services, monkeypatch):
    from gateway import proxy

    def broken(*_args):
        raise RuntimeError("boom")
    monkeypatch.setattr(proxy, "_forwarded_headers", broken)
    answer = client.get("/api/catalog/services")
    assert answer.status_code == 500
    assert answer.json == {"error": {"code": "internal_error", "message": "Something went wrong on our side."}}

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portalkit.signed_identity import Identity

from gateway import seams
from gateway.identity_header import IdentitySigner


def test_a_call_sends_json_as_the_identity_and_decodes_the_answer(app, services):
    services["catalog"].routes[("POST", "/catalog/subscriptions")] = lambda seen: (201, {"id": "s1"})
    status, body = seams.of(app).upstream.call("catalog", "POST", "/catalog/subscriptions",
                                   Identity(user_id="u1", company_id="c1"), json={"service_id": "x"},
                                   query={"dry_run": "true", "skip": None})
    assert (status, body) == (201, {"id": "s1"})
    seen = services["catalog"].last
    assert seen.query == "dry_run=true" and seen.body == b'{"service_id": "x"}'
    assert seen.identity.user_id == "u1"


def test_a_call_may_name_the_public_path(app, services):
    seams.of(app).upstream.call("identity", "GET", "/api/operator/companies", None)
    assert services["identity"].last.path == "/operator/companies"
    assert services["identity"].last.identity.user_id is None


def test_a_public_path_of_another_service_is_refused(app, services):
    with pytest.raises(ValueError):
        seams.of(app).upstream.call("catalog", "GET", "/api/identity/me", None)


def test_an_empty_or_non_json_answer_is_none(app, services):
    services["support"].routes[("DELETE", "/support/requests/1")] = lambda seen: (204, b"")
    services["support"].routes[("GET", "/support/page")] = lambda seen: (200, b"<html>")
    assert seams.of(app).upstream.call("support", "DELETE", "/support/requests/1", None) == (204, None)
    assert seams.of(app).upstream.call("support", "GET", "/support/page", None) == (200, None)


def test_unreachable_and_silent_services_answer_in_the_error_shape(var_dir, services, monkeypatch,
                                                                   closed_port, slow):
    monkeypatch.setenv("PORTAL_ASSETS_URL", f"http://127.0.0.1:{closed_port}")
    monkeypatch.setenv("PORTAL_UPSTREAM_READ_TIMEOUT", "0.3")
    services["knowledge"].routes[("GET", "/knowledge/articles")] = slow(2.0)
    from gateway.app import create_app
    app = create_app()
    status, body = seams.of(app).upstream.call("assets", "GET", "/assets/products", None)
    assert status == 503 and body["error"]["code"] == "service_unavailable"
    status, body = seams.of(app).upstream.call("knowledge", "GET", "/knowledge/articles", None)
    assert status == 504 and body["error"]["code"] == "upstream_timeout"


BIG = bytes(range(256)) * 4096  # 1 MiB: streamed


@pytest.fixture
def keep_alive_service(var_dir, services, monkeypatch):
    """notifications on a server that keeps connections alive, as gunicorn's gthread workers do
    (werkzeug's closes each one); answers /notifications/big with 1 MiB, the rest with {}."""
    client_ports = []

    class KeepingAlive(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            client_ports.append(self.client_address[1])
            body = BIG if self.path.endswith("/big") else b"{}"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), KeepingAlive)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    monkeypatch.setenv("PORTAL_NOTIFICATIONS_URL", f"http://127.0.0.1:{server.server_port}")
    yield client_ports
    server.shutdown()
    server.server_close()


def test_connections_to_a_service_are_kept_alive(keep_alive_service):
    from gateway.app import create_app
    app = create_app()
    client = app.test_client()
    for _ in range(5):
        assert seams.of(app).upstream.call("notifications", "GET", "/notifications/preferences", None) == (200, {})
        assert client.get("/api/notifications/preferences").status_code == 200
    assert len(keep_alive_service) == 10 and len(set(keep_alive_service)) == 1


def test_an_answer_the_client_stops_reading_does_not_spoil_the_next_call(keep_alive_service, monkeypatch):
    monkeypatch.setenv("PORTAL_UPSTREAM_POOL_SIZE", "1")  # the one connection must come back
    monkeypatch.setenv("PORTAL_UPSTREAM_CONNECT_TIMEOUT", "0.5")
    from gateway.app import create_app
    app = create_app()
    chunks = app.test_client().get("/api/notifications/big", buffered=False)
    first = next(iter(chunks.response))
    assert 0 < len(first) < len(BIG)
    chunks.close()
    client = app.test_client()
    assert client.get("/api/notifications/preferences").json == {}
    assert client.get("/api/notifications/big").data == BIG


def test_a_signed_identity_is_reused_while_fresh_and_resigned_when_it_changes(monkeypatch):
    from gateway import identity_header
    signed = []
    real_sign = identity_header.sign
    monkeypatch.setattr(identity_header, "sign", lambda *args: signed.append(args) or real_sign(*args))
    signer = IdentitySigner("secret" * 8, ttl=30)
    ann = Identity(user_id="u1", entitlements=frozenset({"a@c1"}))
    first = signer.header(ann)
    assert signer.header(Identity(user_id="u1", entitlements=frozenset({"a@c1"}))) == first
    assert len(signed) == 1
    signer.header(Identity(user_id="u1", entitlements=frozenset({"a@c1", "b@c1"})))
    signer.header(Identity(user_id="u1", entitlements=frozenset({"a@c1"}), client_ip="1.2.3.4"))
    assert len(signed) == 3
    later = identity_header.time.monotonic() + signer.reuse_for + 0.1
    monkeypatch.setattr(identity_header.time, "monotonic", lambda: later)
    signer.header(ann)
    assert len(signed) == 4

"""Hostile input at the gateway's edge: refused in the error shape (or the error page), never a 500;
the headers every answer carries; the session cookie's Secure flag."""
from __future__ import annotations

import io

import pytest

from portalkit.request_input import MAX_BODY_BYTES

from gateway.settings import GatewaySettings


@pytest.fixture
def identity_login(services):
    fake = services["identity"]
    fake.routes[("POST", "/auth/login")] = lambda seen: (401, {"error": {"code": "invalid_credentials",
                                                                         "message": "Wrong."}})
    return fake


def assert_error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    return error


@pytest.mark.parametrize("body", [
    "[" * 1000 + "]" * 1000,
    '{"email": ' + "[" * 1000 + "]" * 1000 + ', "password": "x"}',
    '{"email": "a@b.test", "password": "\\ud800"}',
    '{"email": "\\udfff@b.test", "password": "x"}',
    '{"email": "a@b.test", "password": "a\\u0000"}',
])
def test_sign_in_refuses_json_too_deep_or_not_text_with_400(client, identity_login, body):
    answer = client.post("/api/auth/login", data=body, content_type="application/json")
    assert_error(answer, 400, "invalid_input")
    assert identity_login.received == []  # identity never saw it


def test_sign_in_still_answers_ordinary_refusals(client, identity_login):
    assert client.post("/api/auth/login", data="{", content_type="application/json").status_code == 400
    answer = client.post("/api/auth/login", json={"email": "ann@acme.test", "password": "\U0001F600"})
    assert answer.status_code == 401


def test_a_chunked_body_over_the_limit_is_413_and_never_fully_sent(client, services):
    body = b'{"name": "' + b"a" * (MAX_BODY_BYTES + 1024) + b'"}'
    answer = client.post("/api/identity/groups", input_stream=io.BytesIO(body),
                         headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"})
    assert_error(answer, 413, "too_large")
    assert all(len(seen.body) <= MAX_BODY_BYTES for seen in services["identity"].received)


def test_a_chunked_body_within_the_limit_goes_through(client, services):
    body = b'{"name": "' + b"a" * (256 * 1024) + b'"}'
    answer = client.post("/api/identity/groups", input_stream=io.BytesIO(body),
                         headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"})
    assert answer.status_code == 200 and services["identity"].last.body == body


def test_a_declared_length_over_the_limit_is_413_before_any_byte_is_forwarded(client, services):
    answer = client.post("/api/identity/groups", data=b"x" * (MAX_BODY_BYTES + 1),
                         content_type="application/json")
    assert_error(answer, 413, "too_large")
    assert services["identity"].received == []


def test_an_api_address_over_the_limit_is_414_in_the_error_shape(client, services):
    answer = client.get("/api/identity/users?q=" + "a" * 9000)
    assert_error(answer, 414, "uri_too_long")
    assert services["identity"].received == []
    assert client.get("/api/identity/users?q=" + "a" * 4000).status_code == 200


def test_a_page_address_over_the_limit_is_the_414_error_page(client):
    answer = client.get("/login?next=" + "a" * 9000)
    assert answer.status_code == 414 and answer.headers["Content-Type"].startswith("text/html")


def test_gunicorn_leaves_long_addresses_to_the_gateway():
    from pathlib import Path
    config: dict = {}
    source = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
    exec(compile(source.read_text(), str(source), "exec"), config)  # noqa: S102 - our own config file
    assert config["limit_request_line"] == 0  # 0: up to gunicorn's own 1 MiB bound


def test_every_api_answer_says_nosniff_and_no_store(client, services, identity_login):
    answers = [client.get("/api/identity/me"), client.get("/api/nowhere"),
               client.post("/api/auth/login", json={"email": "a@b.test", "password": "x"}),
               client.post("/api/auth/logout")]
    for answer in answers:
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers.getlist("Cache-Control") == ["no-store"]


def test_a_service_s_own_caching_is_kept(client, services):
    from werkzeug.wrappers import Response

    services["assets"].routes[("GET", "/assets/releases/r1/file")] = lambda seen: Response(
        b"bytes", 200, headers={"Cache-Control": "private, max-age=3600", "ETag": '"r1"',
                                "X-Content-Type-Options": "nosniff"})
    answer = client.get("/api/assets/releases/r1/file")
    assert answer.headers.getlist("Cache-Control") == ["private, max-age=3600"]
    assert answer.headers["ETag"] == '"r1"' and answer.headers.getlist("X-Content-Type-Options") == ["nosniff"]


def test_pages_are_never_sniffed_and_keep_their_own_caching(client):
    page = client.get("/login")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    style = client.get("/static/portal.css")
    assert style.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in style.headers.get("Cache-Control", "")  # static files stay cacheable


def test_the_session_cookie_is_secure_in_production_unless_told(monkeypatch):
    monkeypatch.delenv("PORTAL_COOKIE_SECURE", raising=False)
    monkeypatch.setenv("PORTAL_SECRET_KEY", "k" * 32)
    monkeypatch.setenv("PORTAL_ENV", "production")
    assert GatewaySettings.load().cookie_secure is True
    monkeypatch.setenv("PORTAL_COOKIE_SECURE", "false")
    assert GatewaySettings.load().cookie_secure is False
    monkeypatch.setenv("PORTAL_ENV", "development")
    monkeypatch.delenv("PORTAL_COOKIE_SECURE")
    assert GatewaySettings.load().cookie_secure is False
    monkeypatch.setenv("PORTAL_COOKIE_SECURE", "true")
    assert GatewaySettings.load().cookie_secure is True


def test_a_production_sign_in_on_the_pages_sets_a_secure_cookie(services, monkeypatch):
    import re

    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "k" * 32)
    monkeypatch.setenv("PORTAL_IDENTITY_SECRET", "s" * 32)
    user = {"id": "u1", "email": "ann@acme.test", "display_name": "Ann", "language": "en",
            "operator": False, "company": {"id": "c1", "name": "Acme"}}
    services["identity"].routes[("POST", "/auth/login")] = lambda seen: (200, {"user": user})
    from gateway.app import create_app
    client = create_app({"TESTING": True}).test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post("/login", data={"email": "ann@acme.test", "password": "x", "csrf_token": token})
    cookie = next(c for c in answer.headers.getlist("Set-Cookie") if c.startswith("portal_session="))
    assert "Secure" in cookie


def test_a_company_not_yours_in_the_users_list_is_the_404_page(client, services, open_session, grant):
    services["identity"].routes[("GET", "/identity/users")] = lambda seen: (
        404, {"error": {"code": "not_found", "message": "No such company."}})
    grant("u1", "user-management-administration", "c1")
    client.set_cookie("portal_session", open_session("u1", "c1"))
    answer = client.get("/administration/users?company=someone-else")
    assert answer.status_code == 404 and answer.headers["Content-Type"].startswith("text/html")
    services["identity"].routes[("GET", "/identity/users")] = lambda seen: (
        403, {"error": {"code": "forbidden", "message": "No."}})
    assert client.get("/administration/users?company=someone-else").status_code == 403


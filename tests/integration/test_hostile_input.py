"""Hostile input through the gateway on the real mesh (gunicorn, both backends): refused in the
error shape, never a 500 or gunicorn's HTML page; sign-in floods are throttled."""
from __future__ import annotations

import uuid

import pytest
import requests

pytestmark = pytest.mark.mesh
JSON = {"Content-Type": "application/json"}
DEEP = "[" * 1000 + "]" * 1000


@pytest.fixture(scope="module")
def user(mesh):
    return mesh.api_login(*mesh.demo["user"])


def assert_error(answer, status, code):
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    assert answer.json()["error"]["code"] == code
    return answer.json()["error"]


@pytest.mark.parametrize("method,path", [
    ("POST", "/api/auth/login"), ("POST", "/api/auth/password/forgot"), ("POST", "/api/auth/password/reset"),
    ("PATCH", "/api/identity/me"), ("POST", "/api/identity/me/password"), ("POST", "/api/catalog/subscriptions"),
])
def test_json_too_deep_or_not_text_is_400_on_every_json_route(mesh, user, method, path):
    for body in (DEEP, '{"email": "\\ud800@demo.localhost", "token": "\\ud800", "first_name": "\\ud800",'
                       ' "name": "\\ud800", "service_id": "\\ud800", "password": "x"}'):
        answer = user.request(method, mesh.url(path), data=body.encode(), headers=JSON, timeout=30)
        assert_error(answer, 400, "invalid_input")


def test_nul_in_a_query_is_400(mesh, user):
    assert_error(user.get(mesh.url("/api/identity/administrators?q=a%00b"), timeout=30), 400, "invalid_input")


def test_a_chunked_body_over_the_limit_is_413(mesh, user):
    def ten_megabytes():
        yield b'{"name": "'
        for _ in range(160):
            yield b"a" * 65536
        yield b'"}'

    answer = requests.post(mesh.url("/api/auth/password/forgot"), data=ten_megabytes(), headers=JSON, timeout=60)
    assert_error(answer, 413, "too_large")


def test_a_long_address_is_414_in_the_error_shape_or_the_error_page(mesh):
    assert_error(requests.get(mesh.url("/api/identity/me?q=" + "a" * 9000), timeout=30), 414, "uri_too_long")
    page = requests.get(mesh.url("/login?next=" + "a" * 9000), timeout=30)
    assert page.status_code == 414 and "<html" in page.text.lower() and "portal" in page.text.lower()


def test_api_answers_are_never_sniffed_nor_stored(mesh, user):
    for answer in (user.get(mesh.url("/api/identity/me"), timeout=30),
                   requests.get(mesh.url("/api/identity/me"), timeout=30)):
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Cache-Control"] == "no-store"


def test_failed_sign_ins_in_a_row_are_throttled(mesh):
    email = f"flood-{uuid.uuid4().hex[:10]}@demo.localhost"
    statuses = [requests.post(mesh.url("/api/auth/login"), json={"email": email, "password": "Wrong-Guess-1!"},
                              timeout=30).status_code for _ in range(10)]
    assert statuses == [401] * 10
    refused = requests.post(mesh.url("/api/auth/login"), json={"email": email, "password": "Wrong-Guess-1!"},
                            timeout=30)
    assert_error(refused, 429, "too_many_requests")
    assert int(refused.headers["Retry-After"]) >= 1

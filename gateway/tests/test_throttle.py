"""Throttling sign-in, forgotten password, activation and reset, per address and per account:
the rules on memory storage, the API and the pages over fake services, and Redis shared by two
gateway apps."""
from __future__ import annotations

import re
import uuid

import pytest

from portalkit.settings import SettingsError

from gateway.throttle import (ACTIVATION, FORGOT, RESET, SIGN_IN, Attempt, Limits, Throttle, TooManyTries,
                              attempt_of, parse_limits)

REFUSED = {"error": {"code": "invalid_credentials", "message": "Wrong e-mail address or password."}}
USER = {"id": "u1", "email": "ann@acme.test", "display_name": "Ann", "language": "en", "operator": False,
        "company": {"id": "c1", "name": "Acme"}}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def throttle(storage="memory://", **per_action) -> Throttle:
    limits = {action: Limits(parse_limits(address), parse_limits(account), action == FORGOT)
              for action, (account, address) in per_action.items()}
    return Throttle(storage, limits)


# -- the rules ------------------------------------------------------------------------------------

def test_the_calls_that_try_a_secret_are_named_with_their_account():
    assert attempt_of("POST", "/auth/login", {"email": " Ann@Acme.TEST "}, "192.0.2.1") == \
        Attempt(SIGN_IN, "192.0.2.1", "ann@acme.test")
    assert attempt_of("POST", "/auth/password/forgot", {"email": "a@b.test"}, None) == \
        Attempt(FORGOT, "unknown", "a@b.test")
    assert attempt_of("POST", "/auth/password/reset", {"token": "t1"}, "ip").account == "t1"
    assert attempt_of("GET", "/auth/password/reset/t2", None, "ip") == Attempt(RESET, "ip", "t2")
    assert attempt_of("POST", "/auth/activation/t3", {"password": "x"}, "ip") == Attempt(ACTIVATION, "ip", "t3")
    assert attempt_of("POST", "/auth/login", ["not", "an", "object"], "ip").account is None
    for method, path in (("GET", "/auth/password-rules/2"), ("POST", "/identity/users"),
                         ("DELETE", "/auth/activation/t3"), ("GET", "/auth/login")):
        assert attempt_of(method, path, None, "ip") is None


def test_refused_sign_ins_count_per_account_and_successes_do_not():
    rules = throttle(sign_in=("3/minute", "100/minute"))
    attempt = Attempt(SIGN_IN, "192.0.2.1", "ann@acme.test")
    for _ in range(10):
        rules.check(attempt)
        rules.record(attempt, 200)  # a success is not counted
    for _ in range(3):
        rules.check(attempt)
        rules.record(attempt, 401)
    with pytest.raises(TooManyTries) as refused:
        rules.check(attempt)
    assert 1 <= refused.value.seconds <= 60
    assert refused.value.body()["error"]["code"] == "too_many_requests"
    rules.check(Attempt(SIGN_IN, "192.0.2.1", "bob@acme.test"))  # another account still may
    rules.record(Attempt(SIGN_IN, "192.0.2.1", "ann@acme.test"), 503)  # an outage counts for nobody


def test_refused_sign_ins_count_per_address_across_accounts():
    rules = throttle(sign_in=("100/minute", "4/minute"))
    for number in range(4):
        rules.record(Attempt(SIGN_IN, "192.0.2.9", f"user{number}@acme.test"), 401)
    with pytest.raises(TooManyTries):
        rules.check(Attempt(SIGN_IN, "192.0.2.9", "new@acme.test"))
    rules.check(Attempt(SIGN_IN, "192.0.2.10", "new@acme.test"))


def test_every_forgotten_password_request_counts():
    rules = throttle(password_forgot=("2/hour", "100/hour"))
    attempt = Attempt(FORGOT, "ip", "a@b.test")
    for _ in range(2):
        rules.check(attempt)
        rules.record(attempt, 202)
    with pytest.raises(TooManyTries) as refused:
        rules.check(attempt)
    assert refused.value.seconds > 60  # the hour's window


def test_lifted_limits_refuse_nothing():
    rules = Throttle("memory://", {SIGN_IN: Limits(parse_limits("1/minute"), parse_limits("1/minute"))},
                     enabled=False)
    for _ in range(5):
        rules.record(Attempt(SIGN_IN, "ip", "a@b.test"), 401)
        rules.check(Attempt(SIGN_IN, "ip", "a@b.test"))
    assert parse_limits("none") == () and len(parse_limits("5/minute;20/hour")) == 2
    with pytest.raises(SettingsError):
        parse_limits("often")


def test_a_store_that_does_not_answer_lets_attempts_through(closed_port):
    rules = throttle(f"redis://127.0.0.1:{closed_port}", sign_in=("1/minute", "1/minute"))
    rules.record(Attempt(SIGN_IN, "ip", "a@b.test"), 401)
    rules.check(Attempt(SIGN_IN, "ip", "a@b.test"))


# -- through the gateway ---------------------------------------------------------------------------

@pytest.fixture
def limited(monkeypatch):
    monkeypatch.setenv("PORTAL_RATE_LIMIT_SIGN_IN", "3/minute")
    monkeypatch.setenv("PORTAL_RATE_LIMIT_SIGN_IN_ADDRESS", "5/minute")
    monkeypatch.setenv("PORTAL_RATE_LIMIT_FORGOT", "2/hour")
    monkeypatch.setenv("PORTAL_RATE_LIMIT_FORGOT_ADDRESS", "4/hour")
    monkeypatch.setenv("PORTAL_RATE_LIMIT_ACTIVATION_ADDRESS", "3/minute")
    monkeypatch.setenv("PORTAL_RATE_LIMIT_RESET", "2/minute")


@pytest.fixture
def app(services, limited):
    from gateway.app import create_app
    return create_app({"TESTING": True})


@pytest.fixture
def identity(services, limited):
    fake = services["identity"]

    def login(seen):
        import json
        return (200, {"user": USER}) if json.loads(seen.body).get("password") == "right" else (401, REFUSED)

    fake.routes[("POST", "/auth/login")] = login
    fake.routes[("POST", "/auth/password/forgot")] = lambda seen: (202, {})
    fake.routes[("POST", "/auth/password/reset")] = lambda seen: (410, {"error": {"code": "gone", "message": "Used."}})
    for token in ("t1", "t2", "t3", "t4"):
        fake.routes[("GET", f"/auth/activation/{token}")] = lambda seen: (
            404, {"error": {"code": "not_found", "message": "No such link."}})
        fake.routes[("GET", f"/auth/password/reset/{token}")] = lambda seen: (
            410, {"error": {"code": "gone", "message": "Used."}})
    return fake


def api_sign_in(client, email="ann@acme.test", password="wrong", address="192.0.2.1"):
    return client.post("/api/auth/login", json={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def assert_throttled(answer):
    assert answer.status_code == 429, answer.get_data(as_text=True)
    assert int(answer.headers["Retry-After"]) >= 1
    assert answer.get_json()["error"]["code"] == "too_many_requests"


def test_failed_sign_ins_in_a_row_are_throttled_per_account(client, identity):
    for _ in range(3):
        assert api_sign_in(client).status_code == 401
    assert_throttled(api_sign_in(client))
    assert_throttled(api_sign_in(client, password="right"))  # even the right password, for a while
    assert len(identity.received) == 3  # identity was not asked again
    assert api_sign_in(client, "bob@acme.test", "right").status_code == 200


def test_failed_sign_ins_in_a_row_are_throttled_per_address(client, identity):
    for number in range(5):
        assert api_sign_in(client, f"user{number}@acme.test").status_code == 401
    assert_throttled(api_sign_in(client, "someone@acme.test", "right"))
    assert api_sign_in(client, "someone@acme.test", "right", address="192.0.2.2").status_code == 200


def test_forgotten_password_requests_are_throttled(client, identity):
    def forgot(email, address="192.0.2.1"):
        return client.post("/api/auth/password/forgot", json={"email": email}, environ_base={"REMOTE_ADDR": address})

    assert [forgot("ann@acme.test").status_code for _ in range(2)] == [202, 202]
    assert_throttled(forgot("ANN@acme.test"))
    assert [forgot(f"u{n}@acme.test").status_code for n in range(2)] == [202, 202]
    assert_throttled(forgot("other@acme.test"))  # the address's 4 per hour are used
    assert forgot("other@acme.test", "192.0.2.2").status_code == 202


def test_guessing_activation_links_is_throttled_per_address(client, identity):
    for token in ("t1", "t2", "t3"):
        assert client.get(f"/api/auth/activation/{token}").status_code == 404
    assert_throttled(client.get("/api/auth/activation/t4"))
    assert_throttled(client.post("/api/auth/activation/t4", json={"password": "x"}))


def test_reset_attempts_are_throttled_per_token(client, identity):
    for _ in range(2):
        assert client.post("/api/auth/password/reset", json={"token": "t1", "password": "x"}).status_code == 410
    assert_throttled(client.post("/api/auth/password/reset", json={"token": "t1", "password": "x"}))
    assert_throttled(client.get("/api/auth/password/reset/t1"))
    assert client.post("/api/auth/password/reset", json={"token": "t2", "password": "x"}).status_code == 410


def form_token(client, path):
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def test_the_pages_sign_in_is_throttled_too(client, identity):
    token = form_token(client, "/login")
    for _ in range(3):
        assert client.post("/login", data={"email": "ann@acme.test", "password": "wrong",
                                           "csrf_token": token}).status_code == 401
    page = client.post("/login", data={"email": "ann@acme.test", "password": "right", "csrf_token": token})
    assert page.status_code == 429 and "Too many attempts" in page.get_data(as_text=True)
    assert_throttled(api_sign_in(client, password="right"))  # one count for the pages and the API


def test_the_pages_forgotten_password_form_is_throttled(client, identity):
    token = form_token(client, "/password/forgot")
    for _ in range(2):
        assert client.post("/password/forgot", data={"email": "ann@acme.test", "csrf_token": token}).status_code == 200
    page = client.post("/password/forgot", data={"email": "ann@acme.test", "csrf_token": token})
    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 1
    assert page.headers["Content-Type"].startswith("text/html")


def test_the_pages_links_are_throttled(client, identity):
    for token in ("t1", "t2", "t3"):
        assert client.get(f"/activate/{token}").status_code == 410
    assert client.get("/activate/t4").status_code == 429
    for _ in range(2):
        assert client.get("/password/reset/t1").status_code == 410
    assert client.get("/password/reset/t1").status_code == 429


# -- shared by every gateway process ---------------------------------------------------------------

def _redis_or_skip(url):
    import redis
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {url}: {error}")


def _guess_links_alternately(first, second) -> list[int]:
    address = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"  # a count of its own
    clients = (first, second, first, second)
    return [client.get(f"/api/auth/activation/t{number}", environ_base={"REMOTE_ADDR": address}).status_code
            for number, client in enumerate(clients, 1)]


def test_two_gateways_on_redis_share_the_count(identity, monkeypatch):
    url = "redis://127.0.0.1:6379/0"
    _redis_or_skip(url)
    monkeypatch.setenv("PORTAL_RATE_LIMIT_STORAGE_URL", url)
    from gateway.app import create_app
    first, second = (create_app({"TESTING": True}).test_client() for _ in range(2))
    assert _guess_links_alternately(first, second) == [404, 404, 404, 429]


def test_two_gateways_in_memory_count_apart(identity):
    from gateway.app import create_app
    first, second = (create_app({"TESTING": True}).test_client() for _ in range(2))
    assert _guess_links_alternately(first, second) == [404, 404, 404, 404]

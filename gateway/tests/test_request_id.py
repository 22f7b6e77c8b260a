"""The request's id at the edge: taken from the client when well-formed, else made; passed to the
services on every call (the API's and the pages'); carried back on every answer."""
import pytest

from portalkit import correlation


def test_a_well_formed_id_is_passed_to_the_service_and_answered(client, services):
    answer = client.get("/api/catalog/services", headers={"X-Request-Id": "client-chosen-42"})
    assert answer.status_code == 200 and answer.headers["X-Request-Id"] == "client-chosen-42"
    assert services["catalog"].last.headers["X-Request-Id"] == "client-chosen-42"


@pytest.mark.parametrize("sent", [None, "short", "with space in it", "x" * 200, '{"forged": "json"}'])
def test_a_missing_or_malformed_id_is_replaced(client, services, sent):
    headers = {} if sent is None else {"X-Request-Id": sent}
    answer = client.get("/api/catalog/services", headers=headers)
    made = answer.headers["X-Request-Id"]
    assert made != sent and correlation.well_formed(made)
    assert services["catalog"].last.headers["X-Request-Id"] == made


def test_the_services_own_id_never_replaces_the_gateways(client, services):
    from werkzeug.wrappers import Response

    services["catalog"].routes[("GET", "/catalog/services")] = lambda _seen: Response(
        "{}", 200, {"X-Request-Id": "the-service-says"}, content_type="application/json")
    answer = client.get("/api/catalog/services", headers={"X-Request-Id": "client-chosen-42"})
    assert answer.headers.getlist("X-Request-Id") == ["client-chosen-42"]


def test_the_gateways_own_answers_carry_it(client, services, monkeypatch, closed_port):
    for path in ("/api/nowhere/at/all", "/no-such-page", "/health"):
        answer = client.get(path, headers={"X-Request-Id": "client-chosen-42"})
        assert answer.headers["X-Request-Id"] == "client-chosen-42", path
    assert client.post("/api/auth/login", data=b"\xff", headers={"X-Request-Id": "client-chosen-43"},
                       content_type="application/json").headers["X-Request-Id"] == "client-chosen-43"
    monkeypatch.setenv("PORTAL_CATALOG_URL", f"http://127.0.0.1:{closed_port}")
    from gateway.app import create_app
    down = create_app().test_client().get("/api/catalog/services", headers={"X-Request-Id": "client-chosen-44"})
    assert down.status_code == 503 and down.headers["X-Request-Id"] == "client-chosen-44"


def test_the_pages_calls_carry_it_too(portal, client, services):
    answer = client.get("/activate/demo", headers={"X-Request-Id": "page-request-01"})
    assert answer.status_code == 200 and answer.headers["X-Request-Id"] == "page-request-01"
    calls = services["identity"].received
    assert calls and all(seen.headers["X-Request-Id"] == "page-request-01" for seen in calls)
    assert correlation.current() is None  # unbound once answered

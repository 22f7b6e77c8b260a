"""The app: health, readiness and OpenAPI answer; anything else needs the gateway's signature."""
from __future__ import annotations

import pytest

from notifications.app import create_app


@pytest.fixture
def client(database, monkeypatch):
    monkeypatch.setenv("PORTAL_NOTIFICATIONS_DATABASE_URL", database.url)
    return create_app({"TESTING": True}).test_client()


def test_health_and_openapi(client):
    assert client.get("/health").get_json() == {"status": "ok"}
    spec = client.get("/notifications/openapi.json")
    assert spec.status_code == 200 and spec.get_json()["info"]["title"] == "Client portal — notifications"


def test_ready_when_database_and_bus_answer(client):
    assert client.get("/ready").get_json() == {"status": "ready"}


def test_unsigned_calls_are_refused(client):
    response = client.get("/notifications/anything")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "identity_missing"

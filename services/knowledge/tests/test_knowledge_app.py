"""knowledge's app: health, readiness, its OpenAPI document, and the gateway-only rule."""


def test_health_and_readiness(client):
    assert client.get("/health").get_json() == {"status": "ok"}
    assert client.get("/ready").get_json() == {"status": "ready"}


def test_the_openapi_document_is_public(client):
    response = client.get("/knowledge/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["info"]["title"] == "Client portal — knowledge"


def test_other_paths_need_the_gateways_signature(client):
    response = client.get("/knowledge/anything")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "identity_missing"

"""The flow that proves the mesh, end to end through the gateway (CONTRACT.md), on each backend."""
from __future__ import annotations

import re

import pytest
import requests

from meshtools import mail_text

pytestmark = pytest.mark.mesh
ADMINISTRATION = "user-management-administration"


def _register_company(mesh, operator, number, email, language="en"):
    response = operator.post(mesh.url("/api/operator/companies"), json={
        "number": number, "name": f"Company {number}", "postcode": "69001", "city": "Lyon",
        "administrator": {"email": email, "title": "MME", "last_name": "Durand",
                          "first_name": "Claire", "language": language}}, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def _activation_token(mesh, email):
    mail = mesh.wait_for_mail(email, containing=f"{mesh.base_url}/activate/")
    text = mail_text(mail)
    match = re.search(re.escape(mesh.base_url) + r"/activate/([A-Za-z0-9_\-]+)", text)
    assert match, text
    return mail, match.group(1)


def test_company_administrator_flow(mesh):
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    email = f"claire.{mesh.backend}@client.test"
    created = _register_company(mesh, operator, f"C-{mesh.backend}", email)
    assert created["administrator"]["status"] == "not_activated"

    mail, token = _activation_token(mesh, email)
    assert mail.get_body(preferencelist=("html",)) is not None
    profile = requests.get(mesh.url(f"/api/auth/activation/{token}"), timeout=10)
    assert profile.status_code == 200 and profile.json()["email"] == email

    activation = {"title": "MME", "first_name": "Claire", "last_name": "Durand", "language": "en",
                  "function": "IT manager", "office_phone": "+33 1 23 45 67 89", "mobile_phone": ""}
    weak = requests.post(mesh.url(f"/api/auth/activation/{token}"), json={**activation, "password": "short"}, timeout=10)
    assert weak.status_code == 400
    assert "min_length_8" in weak.json()["error"]["fields"]["password"]

    done = requests.post(mesh.url(f"/api/auth/activation/{token}"),
                         json={**activation, "password": "Portal-Access-93"}, timeout=10)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "active"
    assert requests.post(mesh.url(f"/api/auth/activation/{token}"),
                         json={**activation, "password": "Portal-Access-93"}, timeout=10).status_code == 410
    assert requests.get(mesh.url(f"/api/auth/activation/{token}"), timeout=10).status_code == 410

    # Sign-in and the administration right work the moment activation answers.
    administrator = mesh.api_login(email, "Portal-Access-93")
    users = administrator.get(mesh.url("/api/identity/users"), timeout=10)
    assert users.status_code == 200, users.text
    assert [u["email"] for u in users.json()["items"]] == [email]
    assert users.json()["total"] == 1


def test_refusals(mesh):
    assert requests.get(mesh.url("/api/identity/users"), timeout=10).status_code == 401
    plain = mesh.api_login(*mesh.demo["user"])
    assert plain.get(mesh.url("/api/identity/me"), timeout=10).status_code == 200
    forbidden = plain.get(mesh.url("/api/identity/users"), timeout=10)
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "forbidden"

    wrong = requests.post(mesh.url("/api/auth/login"), json={"email": mesh.demo["user"][0], "password": "nope"}, timeout=10)
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_credentials"
    garbage = requests.post(mesh.url("/api/auth/login"), data=b"\xff\x00not json",
                            headers={"Content-Type": "application/json"}, timeout=10)
    assert garbage.status_code == 400 and "error" in garbage.json()
    unknown = requests.get(mesh.url("/api/nowhere/at/all"), timeout=10)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    token = requests.get(mesh.url("/api/auth/activation/not-a-real-token"), timeout=10)
    assert token.status_code == 410


def test_sign_out_ends_the_token_at_once(mesh):
    session = mesh.api_login(*mesh.demo["user"])
    assert session.get(mesh.url("/api/identity/me"), timeout=10).status_code == 200
    assert session.post(mesh.url("/api/auth/logout"), timeout=10).status_code == 204
    for _ in range(5):  # whichever gateway worker answers
        assert session.get(mesh.url("/api/identity/me"), timeout=10).status_code == 401


def test_services_refuse_calls_that_bypass_the_gateway(mesh):
    identity = f"http://127.0.0.1:{mesh.mesh.ports['identity']}"
    assert requests.get(identity + "/health", timeout=5).status_code == 200
    missing = requests.get(identity + "/identity/me", timeout=5)
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "identity_missing"
    import jwt
    forged = jwt.encode({"sub": "someone", "aud": "portal-services", "iss": "portal-gateway",
                         "iat": 0, "exp": 4_000_000_000, "ent": [f"{ADMINISTRATION}@x"]}, "a-guessed-key-that-is-long-enough-to-sign")
    refused = requests.get(identity + "/identity/users", headers={"X-Portal-Identity": forged}, timeout=5)
    assert refused.status_code == 401
    # And a client cannot smuggle one through the gateway either.
    smuggled = requests.get(mesh.url("/api/identity/users"), headers={"X-Portal-Identity": forged}, timeout=5)
    assert smuggled.status_code == 401


def test_openapi_documents_through_the_gateway(mesh):
    for service in ("identity", "catalog", "assets", "knowledge", "support", "notifications"):
        response = requests.get(mesh.url(f"/api/{service}/openapi.json"), timeout=10)
        assert response.status_code == 200, service
        assert response.json()["openapi"].startswith("3.")


def test_a_service_down_answers_503_not_a_hang(mesh):
    mesh.mesh.kill("knowledge")
    try:
        response = requests.get(mesh.url("/api/knowledge/openapi.json"), timeout=10)
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "service_unavailable"
    finally:
        mesh.mesh.start_process("knowledge")
        mesh.mesh.wait_ready()
    assert requests.get(mesh.url("/api/knowledge/openapi.json"), timeout=10).status_code == 200

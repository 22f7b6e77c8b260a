"""Contacts and access requests through the gateway: who may call what, and what the public form's
answer does not tell."""
from __future__ import annotations

import uuid

import pytest
import requests

pytestmark = pytest.mark.mesh

PASSWORD = "Harbour-Lights-2031!"


def _request(mesh, **changes):
    body = {"first_name": "Nina", "last_name": "Morel", "email": f"n{uuid.uuid4().hex[:10]}@requester.test",
            "company": "DEMO-001", "phone": "", "message": "", **changes}
    return requests.post(mesh.url("/api/auth/access-requests"), json=body, timeout=10)


def _other_company_administrator(mesh):
    """A second company, its administrator activated and signed in."""
    tag = uuid.uuid4().hex[:8]
    email = f"admin.{tag}@other.test"
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    registered = operator.post(mesh.url("/api/operator/companies"), timeout=10, json={
        "number": f"OTHER-{tag}", "name": f"Other {tag}", "postcode": "69001", "city": "Lyon",
        "administrator": {"email": email, "title": "M", "last_name": "Roux", "first_name": "Hugo",
                          "language": "en"}})
    assert registered.status_code == 201, registered.text
    token = mesh.mailed_link(email, "activate").rsplit("/", 1)[1]
    activated = requests.post(mesh.url(f"/api/auth/activation/{token}"), timeout=10, json={
        "title": "M", "first_name": "Hugo", "last_name": "Roux", "language": "en", "function": "",
        "office_phone": "", "mobile_phone": "", "password": PASSWORD})
    assert activated.status_code == 200, activated.text
    return mesh.api_login(email, PASSWORD)


def test_the_public_answer_is_the_same_for_a_known_and_an_unknown_address(mesh):
    known, unknown = _request(mesh, email=mesh.demo["user"][0]), _request(mesh)
    nowhere = _request(mesh, company="No such company")
    for answer in (known, unknown, nowhere):
        assert answer.status_code == 202
        assert answer.content == b""
    shown = ("Content-Type", "Content-Length", "Cache-Control", "X-Content-Type-Options")
    assert {h: known.headers.get(h) for h in shown} == {h: unknown.headers.get(h) for h in shown} \
        == {h: nowhere.headers.get(h) for h in shown}
    assert "X-Portal-Events" not in known.headers and "X-Portal-Events" not in unknown.headers


def test_the_form_is_throttled_per_address_asked_for(mesh):
    email = f"flood.{uuid.uuid4().hex[:8]}@requester.test"
    statuses = [_request(mesh, email=email).status_code for _ in range(6)]
    assert statuses[:5] == [202] * 5 and statuses[5] == 429


def test_a_company_administrator_gets_403_on_the_operators_routes(mesh):
    admin = mesh.api_login(*mesh.demo["administrator"])
    company_id = admin.get(mesh.url("/api/identity/me"), timeout=10).json()["company"]["id"]
    assert admin.get(mesh.url("/api/operator/access-requests"), timeout=10).status_code == 403
    assert admin.post(mesh.url("/api/operator/access-requests/any/accept"), json={}, timeout=10).status_code == 403
    assert admin.post(mesh.url("/api/operator/access-requests/any/refuse"), json={}, timeout=10).status_code == 403
    assert admin.get(mesh.url(f"/api/operator/companies/{company_id}/contacts"), timeout=10).status_code == 403
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    contacts = operator.get(mesh.url(f"/api/operator/companies/{company_id}/contacts"), timeout=10)
    assert contacts.status_code == 200 and contacts.json()["company"]["number"] == "DEMO-001"


def test_another_company_s_request_is_404_and_the_operator_decides_any(mesh):
    email = f"n{uuid.uuid4().hex[:10]}@requester.test"
    assert _request(mesh, email=email).status_code == 202
    demo_admin = mesh.api_login(*mesh.demo["administrator"])
    pending = demo_admin.get(mesh.url("/api/identity/access-requests"), params={"per_page": 200}, timeout=10).json()
    [mine] = [item for item in pending["items"] if item["email"] == email]
    other = _other_company_administrator(mesh)
    listed = other.get(mesh.url("/api/identity/access-requests"), timeout=10).json()["items"]
    assert email not in {item["email"] for item in listed}
    for decision in ("accept", "refuse"):
        answer = other.post(mesh.url(f"/api/identity/access-requests/{mine['id']}/{decision}"), json={}, timeout=10)
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    refused = operator.post(mesh.url(f"/api/operator/access-requests/{mine['id']}/refuse"),
                            json={"reason": "Not one of ours"}, timeout=10)
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    again = demo_admin.post(mesh.url(f"/api/identity/access-requests/{mine['id']}/accept"), json={}, timeout=10)
    assert again.status_code == 409

"""Rights take effect on the next request, and account changes end sessions, through the gateway."""
from __future__ import annotations

import uuid

import pytest
import requests

pytestmark = pytest.mark.mesh


def _new_user(mesh, administrator, level=1):
    """A user created by the demo administrator and activated through the API; signed in."""
    address = f"u{uuid.uuid4().hex[:10]}@demo.localhost"
    created = administrator.post(mesh.url("/api/identity/users"), timeout=10, json={
        "email": address, "title": "M", "last_name": "Roux", "first_name": "Hugo", "language": "en",
        "function": "Buyer", "office_phone": "", "mobile_phone": "", "security_level": level})
    assert created.status_code == 201, created.text
    token = mesh.mailed_link(address, "activate").rsplit("/", 1)[1]
    password = "Harbour-Lights-2031!"
    activated = requests.post(mesh.url(f"/api/auth/activation/{token}"), timeout=10, json={
        "title": "M", "first_name": "Hugo", "last_name": "Roux", "language": "en", "function": "Buyer",
        "office_phone": "", "mobile_phone": "", "password": password})
    assert activated.status_code == 200, activated.text
    return address, password, mesh.api_login(address, password)


def _administrator(mesh):
    return mesh.api_login(*mesh.demo["administrator"])  # the mesh starts with the demo in force


def test_a_granted_right_works_at_once_and_a_withdrawn_one_stops_at_once(mesh):
    administrator = _administrator(mesh)
    _, _, user = _new_user(mesh, administrator)
    assert user.get(mesh.url("/api/identity/users"), timeout=10).status_code == 403

    offer = user.get(mesh.url("/api/catalog/services?q=Administration"), timeout=10).json()["items"]
    service = next(s for s in offer if s["code"] == "user-management-administration")
    asked = user.post(mesh.url("/api/catalog/subscriptions"), json={"service_id": service["id"]}, timeout=10)
    assert asked.status_code == 201 and asked.json()["status"] == "pending"

    accepted = administrator.post(mesh.url(f"/api/catalog/requests/{asked.json()['id']}/accept"), json={}, timeout=10)
    assert accepted.status_code == 200
    assert user.get(mesh.url("/api/identity/users"), timeout=10).status_code == 200  # no waiting
    assert administrator.post(mesh.url(f"/api/catalog/requests/{asked.json()['id']}/accept"), json={},
                              timeout=10).status_code == 409  # decided already

    cancelled = administrator.delete(mesh.url(f"/api/catalog/subscriptions/{asked.json()['id']}"), timeout=10)
    assert cancelled.status_code == 204
    assert user.get(mesh.url("/api/identity/users"), timeout=10).status_code == 403


def test_a_password_reset_ends_every_session_of_the_user(mesh):
    administrator = _administrator(mesh)
    address, _, user = _new_user(mesh, administrator)
    assert user.get(mesh.url("/api/identity/me"), timeout=10).status_code == 200
    assert requests.post(mesh.url("/api/auth/password/forgot"), json={"email": address}, timeout=10).status_code == 202
    assert requests.post(mesh.url("/api/auth/password/forgot"), json={"email": "nobody@nowhere.test"},
                         timeout=10).status_code == 202
    token = mesh.mailed_link(address, "password/reset").rsplit("/", 1)[1]
    reset = requests.post(mesh.url("/api/auth/password/reset"), json={"token": token, "password": "Quiet-Meadow-4477!"},
                          timeout=10)
    assert reset.status_code == 204, reset.text
    assert user.get(mesh.url("/api/identity/me"), timeout=10).status_code == 401
    assert requests.post(mesh.url("/api/auth/password/reset"), json={"token": token, "password": "Quiet-Meadow-4477!"},
                         timeout=10).status_code == 410
    mesh.api_login(address, "Quiet-Meadow-4477!")


def test_another_companys_user_is_not_found(mesh):
    administrator = _administrator(mesh)
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    number = f"X-{uuid.uuid4().hex[:6]}"
    other = operator.post(mesh.url("/api/operator/companies"), timeout=10, json={
        "number": number, "name": "Other", "administrator": {"email": f"boss-{number}@other.test",
                                                             "first_name": "Olga", "last_name": "Other"}})
    assert other.status_code == 201
    stranger = other.json()["administrator"]["id"]
    assert administrator.get(mesh.url(f"/api/identity/users/{stranger}"), timeout=10).status_code == 404
    assert administrator.delete(mesh.url(f"/api/identity/users/{stranger}"), timeout=10).status_code == 404

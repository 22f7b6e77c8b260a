"""An answer means it is done (CONTRACT.md, "Consistency"): the next request sees it, at once.

Every check here calls right after the answer, without waiting or retrying, and several clients do
it at the same time: an effect still on the bus when the answer returns fails them.
"""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests


pytestmark = pytest.mark.mesh
AT_ONCE = 6  # clients doing the same thing together
PASSWORD = "Harbour-Lights-2031!"


def _together(scenario):
    with ThreadPoolExecutor(AT_ONCE) as pool:
        list(pool.map(lambda _: scenario(), range(AT_ONCE)))  # re-raises the first failure


def _activate(mesh, address: str, first_name: str = "Hugo") -> None:
    token = mesh.mailed_link(address, "activate").rsplit("/", 1)[1]  # the mail is asynchronous
    activated = requests.post(mesh.url(f"/api/auth/activation/{token}"), timeout=30, json={
        "title": "M", "first_name": first_name, "last_name": "Roux", "language": "en", "function": "Buyer",
        "office_phone": "", "mobile_phone": "", "password": PASSWORD})
    assert activated.status_code == 200, activated.text


def _created_user(mesh, administrator, prefix: str):
    """A user the demo administrator creates (not activated): their address and the 201 answer."""
    address = f"{prefix}-{uuid.uuid4().hex[:10]}@demo.localhost"
    created = administrator.post(mesh.url("/api/identity/users"), timeout=30, json={
        "email": address, "title": "M", "last_name": "Roux", "first_name": "Hugo", "language": "en",
        "function": "Buyer", "office_phone": "", "mobile_phone": "", "security_level": 1})
    assert created.status_code == 201, created.text
    return address, created


@pytest.fixture
def administrator(mesh):
    return mesh.api_login(*mesh.demo["administrator"])  # the mesh starts with the demo in force


def test_a_first_administrator_administers_on_the_first_request_after_activation(mesh):
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)

    def scenario():
        number = f"C-{uuid.uuid4().hex[:8]}"
        address = f"first-{number.lower()}@client.test"
        created = operator.post(mesh.url("/api/operator/companies"), timeout=30, json={
            "number": number, "name": f"Client {number}", "postcode": "75001", "city": "Paris",
            "administrator": {"email": address, "title": "MME", "first_name": "Ada", "last_name": "Lune",
                              "language": "fr"}})
        assert created.status_code == 201, created.text
        _activate(mesh, address, "Ada")
        signed_in = mesh.api_login(address, PASSWORD)
        users = signed_in.get(mesh.url("/api/identity/users"), timeout=30)
        assert users.status_code == 200, users.text

    _together(scenario)


def test_a_user_just_created_can_be_given_a_service_at_once(mesh, administrator):
    def scenario():
        _, created = _created_user(mesh, administrator, "new")
        user_id = created.json()["id"]
        offer = administrator.get(mesh.url("/api/catalog/services"), params={"user_id": user_id}, timeout=30)
        assert offer.status_code == 200, offer.text
        assert offer.json()["items"], "the offer of a user just created is empty"
        # Every service offered is one the subscribe call accepts, for that user.
        for service in offer.json()["items"]:
            subscribed = administrator.post(mesh.url("/api/catalog/subscriptions"), timeout=30,
                                            json={"service_id": service["id"], "user_id": user_id})
            assert subscribed.status_code == 201, (service["code"], subscribed.text)
            if subscribed.json()["status"] == "accepted":
                assert subscribed.json()["awaiting_activation"] is True

    _together(scenario)


def test_a_password_reset_ends_the_other_sessions_at_once(mesh, administrator):
    def scenario():
        address, created = _created_user(mesh, administrator, "reset")
        _activate(mesh, address)
        before = mesh.api_login(address, PASSWORD)
        assert before.get(mesh.url("/api/identity/me"), timeout=30).status_code == 200
        forgot = requests.post(mesh.url("/api/auth/password/forgot"), json={"email": address}, timeout=30)
        assert forgot.status_code == 202
        token = mesh.mailed_link(address, "password/reset").rsplit("/", 1)[1]
        reset = requests.post(mesh.url("/api/auth/password/reset"), timeout=30,
                              json={"token": token, "password": "Quiet-Meadow-4477!"})
        assert reset.status_code == 204, reset.text
        assert before.get(mesh.url("/api/identity/me"), timeout=30).status_code == 401

    _together(scenario)


def test_a_client_never_sees_the_events_header(mesh, administrator):
    _, created = _created_user(mesh, administrator, "hdr")
    assert "X-Portal-Events" not in created.headers

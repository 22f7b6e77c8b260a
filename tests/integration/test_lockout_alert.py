"""Many accounts of one company locked within the hour: its administrator gets one mail, over SMTP."""
from __future__ import annotations

import uuid

import pytest
import requests

from meshtools import mail_text

pytestmark = pytest.mark.mesh
PASSWORD = "Harbour-Lights-2031!"
PROFILE = {"title": "MME", "language": "en", "function": "Buyer", "office_phone": "", "mobile_phone": ""}


def _activate(mesh, address: str, first_name: str) -> None:
    token = mesh.mailed_link(address, "activate").rsplit("/", 1)[1]
    answer = requests.post(mesh.url(f"/api/auth/activation/{token}"), timeout=10, json={
        **PROFILE, "first_name": first_name, "last_name": "Vidal", "password": PASSWORD})
    assert answer.status_code == 200, answer.text


def _company_with_administrator(mesh, tag: str) -> tuple[str, requests.Session]:
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    administrator = f"admin.{tag}@lockout.test"
    registered = operator.post(mesh.url("/api/operator/companies"), timeout=10, json={
        "number": f"LOCK-{tag}", "name": f"Vidal {tag}", "postcode": "13001", "city": "Marseille",
        "administrator": {"email": administrator, "title": "MME", "last_name": "Vidal",
                          "first_name": "Inès", "language": "fr"}})
    assert registered.status_code == 201, registered.text
    _activate(mesh, administrator, "Inès")
    session = mesh.api_login(administrator, PASSWORD)
    assert session.get(mesh.url("/api/identity/users"), timeout=10).status_code == 200  # at once
    return administrator, session


def _lock(mesh, address: str) -> None:
    for _ in range(5):  # moderate level
        assert requests.post(mesh.url("/api/auth/login"), json={"email": address, "password": "Wrong-Guess-99"},
                             timeout=10).status_code == 401
    assert requests.post(mesh.url("/api/auth/login"), json={"email": address, "password": PASSWORD},
                         timeout=10).status_code == 423


def test_the_fifth_locked_account_mails_the_administrator_once(mesh):
    tag = uuid.uuid4().hex[:8]
    administrator, session = _company_with_administrator(mesh, tag)
    users = [f"{name}.{tag}@lockout.test" for name in ("ana", "bea", "cleo", "dora", "emma", "flora")]
    for address in users:
        created = session.post(mesh.url("/api/identity/users"), timeout=10, json={
            **PROFILE, "email": address, "first_name": "Zélie", "last_name": "Vidal", "security_level": 2})
        assert created.status_code == 201, created.text
        _activate(mesh, address, "Zélie")

    for address in users[:5]:
        _lock(mesh, address)
        assert mesh.wait_for_mail(address, subject="Your client portal account is temporarily locked")
    alert = mesh.wait_for_mail(administrator, subject="5 client portal accounts of your company were locked")
    text = mail_text(alert)
    assert f"{mesh.base_url}/administration/users" in text and "Zélie Vidal" in text

    _lock(mesh, users[5])
    # A mail of the administrator's own, caused after the sixth lockout: the bus hands events to
    # notifications in order, so a second alert would be there before it.
    assert requests.post(mesh.url("/api/auth/password/forgot"), json={"email": administrator},
                         timeout=10).status_code == 202
    assert mesh.mailed_link(administrator, "password/reset")
    assert [mail["Subject"] for mail in mesh.mails_to(administrator)][1:] == [
        alert["Subject"], "Reset your client portal password"]

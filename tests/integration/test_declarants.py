"""Declarant accounts and the declarative sign-in through the gateway, on both backends: an
operator sets a SIREN, issues an account whose mailed link sets the password; the declarative
session and the portal's never open each other's routes; lockout; revocation ends it at once."""
from __future__ import annotations

import random
import uuid

import pytest
import requests

pytestmark = pytest.mark.mesh
# No digits: the login's random hex tag never shares 3 characters with it (the rule checks the login too).
PASSWORD = "Liasse-Fiscale-Close!"


def _siren() -> str:
    """A random SIREN with its Luhn key (the tests of both backends share no database, but reruns do)."""
    digits = [random.randint(0, 9) for _ in range(8)]
    for key in range(10):
        candidate = digits + [key]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(candidate))
        if total % 10 == 0:
            return "".join(map(str, candidate))
    raise AssertionError("unreachable")


def _company(mesh, operator: requests.Session, tag: str) -> str:
    registered = operator.post(mesh.url("/api/operator/companies"), timeout=10, json={
        "number": f"DECL-{tag}", "name": f"Liasse {tag}", "postcode": "69001", "city": "Lyon",
        "administrator": {"email": f"admin.{tag}@declarants.test", "title": "M", "last_name": "Roux",
                          "first_name": "Paul", "language": "en"}})
    assert registered.status_code == 201, registered.text
    return registered.json()["company"]["id"]


def _declarative_login(mesh, login: str, password: str = PASSWORD) -> requests.Response:
    return requests.post(mesh.url("/api/auth/declarative/login"), json={"login": login, "password": password},
                         timeout=10)


def test_a_declarant_is_issued_sets_the_password_signs_in_and_is_revoked(mesh):
    tag = uuid.uuid4().hex[:8]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company_id = _company(mesh, operator, tag)
    siren = _siren()
    wrong_key = siren[:8] + str((int(siren[8]) + 1) % 10)
    refused = operator.patch(mesh.url(f"/api/operator/companies/{company_id}"), json={"siren": wrong_key}, timeout=10)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_siren"
    assert operator.patch(mesh.url(f"/api/operator/companies/{company_id}"), json={"siren": siren},
                          timeout=10).json()["siren"] == siren

    login, address = f"decl.{tag}", f"decl.{tag}@declarants.test"
    issued = operator.post(mesh.url("/api/operator/declarants"), timeout=10, json={
        "login": login, "role": "declarant", "company_id": company_id, "email": address,
        "first_name": "Denis", "last_name": "Martin", "language": "fr"})
    assert issued.status_code == 201, issued.text
    link = mesh.mailed_link(address, "declarations/password")
    token = link.rsplit("/", 1)[1]
    assert requests.get(mesh.url(f"/api/auth/declarative/password/{token}"), timeout=10).json()["login"] == login
    assert requests.post(mesh.url(f"/api/auth/declarative/password/{token}"), json={"password": PASSWORD},
                         timeout=10).status_code == 204

    signed_in = _declarative_login(mesh, login)
    assert signed_in.status_code == 200, signed_in.text
    assert [entity["siren"] for entity in signed_in.json()["declarant"]["entities"]] == [siren]
    declarative = {"Authorization": f"Bearer {signed_in.json()['token']}"}
    audits = requests.get(mesh.url("/api/auth/declarative/audits"), headers=declarative, timeout=10)
    assert audits.status_code == 200 and audits.json()["items"][0]["succeeded"] is True

    # Each session stays in its own space.
    portal_refused = requests.get(mesh.url("/api/identity/me"), headers=declarative, timeout=10)
    assert portal_refused.status_code == 401 and portal_refused.json()["error"]["code"] == "portal_sign_in_required"
    declarative_refused = operator.get(mesh.url("/api/declarations/deposits"), timeout=10)
    assert declarative_refused.status_code == 401
    assert declarative_refused.json()["error"]["code"] == "declarative_sign_in_required"
    assert requests.get(mesh.url("/api/declarations/deposits"), headers=declarative,
                        timeout=10).json() == {"items": [], "total": 0}

    # Revocation ends the session before its answer.
    revoked = operator.post(mesh.url(f"/api/operator/declarants/{issued.json()['id']}/revoke"), timeout=10)
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert requests.get(mesh.url("/api/auth/declarative/audits"), headers=declarative, timeout=10).status_code == 401
    assert _declarative_login(mesh, login).status_code == 401
    assert mesh.wait_for_mail(address, subject="Votre compte du portail déclaratif Etafi a été révoqué")


def test_a_declarant_is_locked_after_the_failures(mesh):
    tag = uuid.uuid4().hex[:8]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company_id = _company(mesh, operator, tag)
    assert operator.patch(mesh.url(f"/api/operator/companies/{company_id}"), json={"siren": _siren()},
                          timeout=10).status_code == 200
    login, address = f"lock.{tag}", f"lock.{tag}@declarants.test"
    assert operator.post(mesh.url("/api/operator/declarants"), timeout=10, json={
        "login": login, "role": "declarant", "company_id": company_id, "email": address}).status_code == 201
    token = mesh.mailed_link(address, "declarations/password").rsplit("/", 1)[1]
    assert requests.post(mesh.url(f"/api/auth/declarative/password/{token}"), json={"password": PASSWORD},
                         timeout=10).status_code == 204
    for _ in range(5):  # the strong level's limit
        assert _declarative_login(mesh, login, "Wrong-Guess-2031!").status_code == 401
    locked = _declarative_login(mesh, login)
    assert locked.status_code == 423 and locked.json()["error"]["code"] == "account_locked"

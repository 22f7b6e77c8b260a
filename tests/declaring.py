"""The declarative portal's helpers of the integration tests: the issue's sample repaired for a
SIREN, a declarative sign-in, a declarant of a company of its own, a deposit through the gateway."""
from __future__ import annotations

import random
import uuid
from pathlib import Path

import requests
from stdnum import luhn

SAMPLE = Path(__file__).resolve().parents[1] / "services/declarations/tests/data/sage_coala.ped"
DEMO_SIREN = "123456782"  # identity's demo company (identity/demo.py)
# No digits: the login's random hex tag never shares 3 characters with it (the rule checks the login too).
PASSWORD = "Liasse-Fiscale-Close!"
DEPOSITS = "/api/declarations/deposits"


def _repaired(siren: str) -> bytes:
    """The sample with a SIREN whose key holds and UNT's true count (the README says why)."""
    return SAMPLE.read_bytes().replace(b"999999999:", siren.encode() + b":").replace(b"UNT+542+", b"UNT+97+")


def _signed_in(mesh, login: str, password: str) -> dict:
    answer = requests.post(mesh.url("/api/auth/declarative/login"), json={"login": login, "password": password},
                           timeout=10)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _another_declarant(mesh) -> dict:
    """A declarant of a company of its own (SIREN set by an operator), signed in."""
    return _new_declarant(mesh)[0]


def _new_declarant(mesh) -> tuple[dict, str, str]:
    """A declarant of a company of its own, signed in: its headers, e-mail address and SIREN."""
    headers, address, siren, _company = declarant_of_a_new_company(mesh)
    return headers, address, siren


def declarant_of_a_new_company(mesh, prefix: str = "depo") -> tuple[dict, str, str, str]:
    """A declarant of a company of its own (SIREN set by an operator), signed in: its headers,
    e-mail address, SIREN and the company's id."""
    tag = uuid.uuid4().hex[:8]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company = operator.post(mesh.url("/api/operator/companies"), timeout=10, json={
        "number": f"{prefix.upper()}-{tag}", "name": f"Dépôt {tag}", "postcode": "69001", "city": "Lyon",
        "administrator": {"email": f"admin.{tag}@deposits.test", "title": "M", "last_name": "Roux",
                          "first_name": "Paul", "language": "en"}}).json()["company"]["id"]
    base = "".join(random.choice("0123456789") for _ in range(8))
    siren = base + luhn.calc_check_digit(base)
    assert operator.patch(mesh.url(f"/api/operator/companies/{company}"), json={"siren": siren},
                          timeout=10).status_code == 200
    login, address = f"{prefix}.{tag}", f"{prefix}.{tag}@deposits.test"
    assert operator.post(mesh.url("/api/operator/declarants"), timeout=10, json={
        "login": login, "role": "declarant", "company_id": company, "email": address}).status_code == 201
    token = mesh.mailed_link(address, "declarations/password").rsplit("/", 1)[1]
    assert requests.post(mesh.url(f"/api/auth/declarative/password/{token}"), json={"password": PASSWORD},
                         timeout=10).status_code == 204
    return _signed_in(mesh, login, PASSWORD), address, siren, company


def _deposit(mesh, headers: dict, data: bytes) -> requests.Response:
    return requests.post(mesh.url(DEPOSITS), headers=headers, files={"file": ("liasse.ped", data)}, timeout=30)

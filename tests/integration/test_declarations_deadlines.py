"""The deadlines through the gateway, on both backends: an operator sets an entity's fiscal
profile (closing date, obligations; operators only, 400 with fields, 404), its declarant reads the
deadlines at once — each obligation's period, due date, days left — and a deposit of the liasse
files it."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import requests

from declaring import _repaired, declarant_of_a_new_company  # tests/declaring.py

pytestmark = pytest.mark.mesh
DEADLINES, PROFILE = "/api/declarations/deadlines", "/api/operator/declarations/entities"


def _declarant_of_a_new_company(mesh) -> tuple[dict, str, str]:
    """A declarant of a company of its own, signed in: its headers, the company's id and SIREN."""
    headers, _address, siren, company = declarant_of_a_new_company(mesh, "ech")
    return headers, company, siren


def _deadlines(mesh, headers: dict, year: int) -> list[dict]:
    answer = requests.get(mesh.url(DEADLINES), params={"year": year}, headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def _days_until(day: date) -> int:
    return (day - datetime.now(timezone.utc).date()).days


def test_an_operator_sets_the_fiscal_profile_and_the_declarant_reads_its_deadlines(mesh):
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    declarant, company, siren = _declarant_of_a_new_company(mesh)
    profile = operator.get(mesh.url(f"{PROFILE}/{company}"), timeout=10)
    assert profile.status_code == 200, profile.text
    assert (profile.json()["siren"], profile.json()["closing"], profile.json()["obligations"]) == (
        siren, "12-31", ["liasse", "cvae", "vat"])

    # The 2023 closing's liasse: 3 May 2024 + 15 days is a Saturday, Monday 20 May is Whit Monday.
    items = _deadlines(mesh, declarant, 2023)
    assert [(item["obligation"], item["period_end"], item["due_on"], item["filed"]) for item in items] == [
        ("liasse", "2023-12-31", "2024-05-21", False), ("cvae", "2023-12-31", "2024-05-21", False),
        ("vat", "2023-12-31", "2024-05-21", False)]
    assert items[0]["days_left"] == _days_until(date(2024, 5, 21)) and items[0]["entity_id"] == company

    # The sample, a liasse of that closing, files it (the transmission's first state counts).
    sample = _repaired(siren)
    deposited = requests.post(mesh.url("/api/declarations/deposits"), headers=declarant,
                              files={"file": ("liasse.ped", sample)}, timeout=30)
    assert deposited.status_code == 201, deposited.text
    items = _deadlines(mesh, declarant, 2023)
    assert [(item["obligation"], item["filed"], item["deposit_id"]) for item in items] == [
        ("liasse", True, deposited.json()["id"]), ("cvae", False, None), ("vat", False, None)]

    # A 30 June closing: three months after, + 15 days; the DAS2 reports the calendar year.
    changed = operator.put(mesh.url(f"{PROFILE}/{company}"), json={"closing": "06-30", "obligations": ["das2", "liasse"]},
                           timeout=10)
    assert changed.status_code == 200 and changed.json()["obligations"] == ["liasse", "das2"]
    assert [(item["obligation"], item["period_end"], item["due_on"]) for item in _deadlines(mesh, declarant, 2024)] == [
        ("liasse", "2024-06-30", "2024-10-15"), ("das2", "2024-12-31", "2025-05-20")]
    upcoming = requests.get(mesh.url(DEADLINES), headers=declarant, timeout=10).json()["items"]
    assert {item["obligation"] for item in upcoming} == {"liasse", "das2"}
    assert all(item["days_left"] >= 0 for item in upcoming)


def test_the_fiscal_profile_is_the_operators_and_refuses_bad_input(mesh):
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    declarant, company, _ = _declarant_of_a_new_company(mesh)
    bad = operator.put(mesh.url(f"{PROFILE}/{company}"), json={"closing": "02-30", "obligations": ["tva"]}, timeout=10)
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"closing", "obligations"}
    assert bad.json()["error"]["code"] == "invalid_input"
    assert operator.get(mesh.url(f"{PROFILE}/no-such-entity"), timeout=10).status_code == 404
    # A declarative session does not reach the operators' routes, nor anonymous callers.
    assert requests.get(mesh.url(f"{PROFILE}/{company}"), headers=declarant, timeout=10).status_code == 401
    assert requests.get(mesh.url(f"{PROFILE}/{company}"), timeout=10).status_code == 401
    # A portal session does not open the declarants' deadlines; a bad year is 400.
    assert operator.get(mesh.url(DEADLINES), timeout=10).status_code == 401
    bad_year = requests.get(mesh.url(DEADLINES), params={"year": "soon"}, headers=declarant, timeout=10)
    assert bad_year.status_code == 400 and "year" in bad_year.json()["error"]["fields"]
    paths = requests.get(mesh.url("/api/declarations/openapi.json"), timeout=10).json()["paths"]
    assert {"/declarations/deadlines", "/operator/declarations/entities/{entity_id}"} <= set(paths)

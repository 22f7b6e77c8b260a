"""The declarative portal's helpers of the integration and browser tests: the issue's sample repaired
for a SIREN (a liasse, or a CVAE), a declarative sign-in, a company with a SIREN, a declarant (or a
supervisor) of it, a group of subsidiaries under a supervisor, a deposit through the gateway and
the partner's final answer awaited.

The simulated partner answers by SIREN (services/declarations/README.md, "The simulated partner"):
a random SIREN is unknown (009). A SIREN is unique in identity, so each of its fixed SIRENs is held
by one test of the whole run: 732829320 (accepted) and 400000063 (partly rejected 13A) by
tests/integration/test_declarations_supervision.py, 400000022 (rejected 010) by
tests/e2e/test_declarations_supervision_browser.py."""
from __future__ import annotations

import random
import uuid
from pathlib import Path

import requests
from stdnum import luhn

from meshtools import wait_until  # tests/meshtools.py

SAMPLE = Path(__file__).resolve().parents[1] / "services/declarations/tests/data/sage_coala.ped"
DEMO_SIREN = "123456782"  # identity's demo company (identity/demo.py)
# No digits: the login's random hex tag never shares 3 characters with it (the rule checks the login too).
PASSWORD = "Liasse-Fiscale-Close!"
DEPOSITS = "/api/declarations/deposits"
PENDING = ("queued", "sent", "taken")
REFERENCE = b"20241861032cor"  # the sample's interchange reference (UNB, UNZ, RFF+AWR)


def _repaired(siren: str) -> bytes:
    """The sample with a SIREN whose key holds and UNT's true count (the README says why)."""
    return SAMPLE.read_bytes().replace(b"999999999:", siren.encode() + b":").replace(b"UNT+542+", b"UNT+97+")


def unique(data: bytes) -> bytes:
    """The same filing under an interchange reference of its own (a duplicate is refused)."""
    return data.replace(REFERENCE, uuid.uuid4().hex[:len(REFERENCE)].encode())


def as_cvae(data: bytes) -> bytes:
    """The sample's forms renamed 1330-CVAE: the portal files it as the entity's CVAE, not its liasse."""
    return data.replace(b"IND++2050      ", b"IND++1330CVAE  ").replace(b"IND++2069RCI   ", b"IND++1330CVAE  ")


def random_siren() -> str:
    base = "".join(random.choice("0123456789") for _ in range(8))
    return base + luhn.calc_check_digit(base)


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
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    siren = random_siren()
    company = company_with_siren(mesh, operator, f"Dépôt {uuid.uuid4().hex[:8]}", siren, prefix)
    login, address = declarant_of(mesh, operator, company, prefix=prefix)
    return _signed_in(mesh, login, PASSWORD), address, siren, company


def company_with_siren(mesh, operator, name: str, siren: str, prefix: str = "depo") -> str:
    """An operator's new company ``name`` with ``siren``: its id."""
    tag = uuid.uuid4().hex[:8]
    answer = operator.post(mesh.url("/api/operator/companies"), timeout=10, json={
        "number": f"{prefix.upper()}-{tag}", "name": name, "postcode": "69001", "city": "Lyon",
        "administrator": {"email": f"admin.{tag}@deposits.test", "title": "M", "last_name": "Roux",
                          "first_name": "Paul", "language": "en"}})
    assert answer.status_code == 201, answer.text
    company = answer.json()["company"]["id"]
    patched = operator.patch(mesh.url(f"/api/operator/companies/{company}"), json={"siren": siren}, timeout=10)
    assert patched.status_code == 200, patched.text
    return company


def declarant_of(mesh, operator, company: str, role: str = "declarant", language: str = "en",
                 prefix: str = "depo") -> tuple[str, str]:
    """A declarant account (or a supervisor's) of ``company``, its password set from the mailed
    link: its login and e-mail address (sign in with ``PASSWORD``)."""
    tag = uuid.uuid4().hex[:8]
    login, address = f"{prefix}.{tag}", f"{prefix}.{tag}@deposits.test"
    issued = operator.post(mesh.url("/api/operator/declarants"), timeout=10, json={
        "login": login, "role": role, "company_id": company, "email": address, "language": language})
    assert issued.status_code == 201, issued.text
    token = mesh.mailed_link(address, "declarations/password").rsplit("/", 1)[1]
    assert requests.post(mesh.url(f"/api/auth/declarative/password/{token}"), json={"password": PASSWORD},
                         timeout=10).status_code == 204
    return login, address


def supervised_group(mesh, head_name: str, subsidiaries: dict[str, str], language: str = "en",
                     prefix: str = "supv") -> dict:
    """A group head (a random SIREN) and its subsidiaries (name → SIREN) linked under it as
    associates, and a supervisor account of the head: ``{"head", "subsidiaries" (name → id),
    "login"}``. The link's answer is held until declarations applied it: the supervisor's scope
    holds the subsidiaries at once."""
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    head = company_with_siren(mesh, operator, head_name, random_siren(), prefix)
    ids = {}
    for name, siren in subsidiaries.items():
        ids[name] = company_with_siren(mesh, operator, name, siren, prefix)
        linked = operator.post(mesh.url(f"/api/operator/companies/{head}/associates"), json={"company_id": ids[name]},
                               timeout=10)
        assert linked.status_code == 201, linked.text
    login, _ = declarant_of(mesh, operator, head, role="supervisor", language=language, prefix=prefix)
    return {"head": head, "subsidiaries": ids, "login": login}


def final(mesh, headers: dict, deposit_id: str) -> dict:
    """The deposit once the partner's final answer is in (the API says it is pending until then)."""
    def answered():
        detail = requests.get(mesh.url(f"{DEPOSITS}/{deposit_id}"), headers=headers, timeout=10).json()
        return detail if detail["status"] not in PENDING else None
    return wait_until(answered, timeout=30, interval=0.2, message="the partner's final answer")


def _deposit(mesh, headers: dict, data: bytes) -> requests.Response:
    return requests.post(mesh.url(DEPOSITS), headers=headers, files={"file": ("liasse.ped", data)}, timeout=30)

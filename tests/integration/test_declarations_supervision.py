"""The supervisor's table of its subsidiaries' declarations through the gateway, on both backends:
a group (a head and three subsidiaries linked as associates) whose supervisor deposits for them —
a liasse and a CVAE the simulated partner accepts, a liasse it rejects (009), one it partly rejects
(13A) — then reads, for 2023 (due dates long past), each subsidiary × obligation with its state,
the late first, the codes explained in the supervisor's language, the summary, the filters, the
paging and the ZIP of the evidence bundles; a declarant is refused (403), a portal session too
(401), and another group's entities are never listed."""
from __future__ import annotations

import io
import uuid
import zipfile

import pytest
import requests

from declaring import (DEPOSITS, PASSWORD, _deposit, _repaired, _signed_in, as_cvae, declarant_of, final,  # tests/declaring.py
                       random_siren, supervised_group, unique)

pytestmark = pytest.mark.mesh
TABLE = "/api/declarations/supervision"
YEAR = 2023  # the sample's period ends 2023-12-31, due 2024-05-21: late unless accepted
ACCEPTED_SIREN, PARTLY_REJECTED_SIREN = "732829320", "400000063"  # the simulator's records (declaring.py)
DUE, PERIOD_END = "2024-05-21", "2023-12-31"


@pytest.fixture(scope="module")
def group(mesh):
    """The group, its supervisors (English, French), its deposits answered; another group beside it."""
    tag = uuid.uuid4().hex[:6]
    names = {"alpha": f"Filiale Alpha {tag}", "beta": f"Filiale Beta {tag}", "gamma": f"Filiale Gamma {tag}"}
    sirens = {"alpha": ACCEPTED_SIREN, "beta": random_siren(), "gamma": PARTLY_REJECTED_SIREN}
    made = supervised_group(mesh, f"Groupe {tag}", {names[key]: sirens[key] for key in names})
    ids = {key: made["subsidiaries"][names[key]] for key in names}
    supervisor = _signed_in(mesh, made["login"], PASSWORD)
    deposits = {}
    for key, data in (("alpha-liasse", _repaired(ACCEPTED_SIREN)), ("alpha-cvae", as_cvae(_repaired(ACCEPTED_SIREN))),
                      ("beta-liasse", _repaired(sirens["beta"])), ("gamma-liasse", _repaired(sirens["gamma"]))):
        data = unique(data)
        created = _deposit(mesh, supervisor, data)
        assert created.status_code == 201, created.text
        deposits[key] = {**final(mesh, supervisor, created.json()["id"]), "bytes": data}
    assert deposits["alpha-cvae"]["obligation"] == "cvae"
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    french, _ = declarant_of(mesh, operator, made["head"], role="supervisor", language="fr", prefix="supv")
    beta_declarant, _ = declarant_of(mesh, operator, ids["beta"], prefix="supv")

    other_siren = random_siren()
    other = supervised_group(mesh, f"Autre groupe {tag}", {f"Filiale Autre {tag}": other_siren})
    other_supervisor = _signed_in(mesh, other["login"], PASSWORD)
    elsewhere = _deposit(mesh, other_supervisor, unique(_repaired(other_siren)))
    assert elsewhere.status_code == 201, elsewhere.text
    final(mesh, other_supervisor, elsewhere.json()["id"])
    return {"tag": tag, "names": names, "sirens": sirens, "ids": ids, "head": made["head"], "supervisor": supervisor,
            "french": _signed_in(mesh, french, PASSWORD), "declarant": _signed_in(mesh, beta_declarant, PASSWORD),
            "deposits": deposits, "other": other, "other_siren": other_siren, "other_supervisor": other_supervisor}


def _table(mesh, headers: dict, **query) -> dict:
    answer = requests.get(mesh.url(TABLE), headers=headers, params={"year": YEAR, **query}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _rows(body: dict) -> list[tuple]:
    return [(row["entity_name"], row["obligation"], row["state"], row["late"]) for row in body["items"]]


def test_each_subsidiary_and_obligation_with_its_state_the_late_first(mesh, group):
    body = _table(mesh, group["supervisor"])
    alpha, beta, gamma = (group["names"][key] for key in ("alpha", "beta", "gamma"))
    head = f"Groupe {group['tag']}"
    assert body["year"] == YEAR and body["total"] == 12
    assert _rows(body) == [
        (alpha, "vat", "expected", True),
        (beta, "liasse", "rejected", True), (beta, "cvae", "expected", True), (beta, "vat", "expected", True),
        (gamma, "liasse", "partly_rejected", True), (gamma, "cvae", "expected", True), (gamma, "vat", "expected", True),
        (head, "liasse", "expected", True), (head, "cvae", "expected", True), (head, "vat", "expected", True),
        (alpha, "liasse", "accepted", False), (alpha, "cvae", "accepted", False)]
    assert body["summary"] == {"expected": 8, "deposited": 0, "accepted": 2, "partly_rejected": 1, "rejected": 1,
                               "refused_by_partner": 0, "late": 10, "stuck": 0}
    rows = {(row["entity_id"], row["obligation"]): row for row in body["items"]}
    rejected = rows[(group["ids"]["beta"], "liasse")]
    assert (rejected["siren"], rejected["period_end"], rejected["due_on"], rejected["stuck"]) == \
        (group["sirens"]["beta"], PERIOD_END, DUE, False)
    assert rejected["deposit_id"] == group["deposits"]["beta-liasse"]["id"]
    [code] = rejected["codes"]
    assert code["code"] == "009" and code["text"] == "The tax office does not know this SIREN."
    assert code["action"].startswith("Check the SIREN in the file")
    assert [code["code"] for code in rows[(group["ids"]["gamma"], "liasse")]["codes"]] == ["13A"]
    accepted = rows[(group["ids"]["alpha"], "cvae")]
    assert accepted["deposit_id"] == group["deposits"]["alpha-cvae"]["id"] and accepted["codes"] == []
    assert accepted["obligation_name"] == "CVAE return (1330-CVAE)"
    assert rows[(group["head"], "vat")]["deposit_id"] is None and rows[(group["head"], "vat")]["codes"] == []


def test_the_codes_are_explained_in_the_supervisor_s_language(mesh, group):
    body = _table(mesh, group["french"], state="rejected")
    [row] = body["items"]
    [code] = row["codes"]
    assert code["code"] == "009" and code["text"] == "L'administration ne connaît pas ce SIREN."
    assert code["action"].startswith("Vérifiez le SIREN du fichier")
    assert row["obligation_name"] == "Liasse fiscale (2065, 2031, 2033…)"


def test_the_filters_narrow_the_rows_and_the_summary_keeps_every_state(mesh, group):
    supervisor, ids = group["supervisor"], group["ids"]
    liasses = _table(mesh, supervisor, obligation="liasse")
    assert liasses["total"] == 4 and {row["obligation"] for row in liasses["items"]} == {"liasse"}
    assert (liasses["summary"]["accepted"], liasses["summary"]["rejected"], liasses["summary"]["partly_rejected"],
            liasses["summary"]["expected"], liasses["summary"]["late"]) == (1, 1, 1, 1, 3)
    rejected = _table(mesh, supervisor, state="rejected")
    assert rejected["total"] == 1 and rejected["items"][0]["entity_id"] == ids["beta"]
    assert rejected["summary"]["expected"] == 8 and rejected["summary"]["late"] == 10  # the state left out of it
    late = _table(mesh, supervisor, state="late", per_page=200)
    assert late["total"] == 10 and all(row["late"] for row in late["items"])
    accepted = _table(mesh, supervisor, state="accepted")
    assert {(row["entity_id"], row["obligation"]) for row in accepted["items"]} == {(ids["alpha"], "liasse"),
                                                                                   (ids["alpha"], "cvae")}
    assert _table(mesh, supervisor, state="stuck")["total"] == 0
    by_siren = _table(mesh, supervisor, entity=ACCEPTED_SIREN)
    assert by_siren["total"] == 3 and {row["entity_id"] for row in by_siren["items"]} == {ids["alpha"]}
    by_name = _table(mesh, supervisor, entity=f"beta {group['tag']}")  # a part of the name, any case
    assert by_name["total"] == 3 and {row["entity_id"] for row in by_name["items"]} == {ids["beta"]}
    by_id = _table(mesh, supervisor, entity=ids["gamma"], obligation="liasse")
    assert [(row["entity_id"], row["state"]) for row in by_id["items"]] == [(ids["gamma"], "partly_rejected")]
    assert _table(mesh, supervisor, year=2022)["summary"]["accepted"] == 0  # another year's periods: nothing filed
    refused = requests.get(mesh.url(TABLE), headers=supervisor, params={"state": "lost", "year": 1999}, timeout=10)
    assert refused.status_code == 400 and set(refused.json()["error"]["fields"]) >= {"state", "year"}


def test_pages_of_the_table(mesh, group):
    supervisor = group["supervisor"]
    whole = [(row["entity_id"], row["obligation"]) for row in _table(mesh, supervisor)["items"]]
    pages = [_table(mesh, supervisor, per_page=5, page=number) for number in (1, 2, 3)]
    assert [len(page["items"]) for page in pages] == [5, 5, 2] and {page["total"] for page in pages} == {12}
    assert [(row["entity_id"], row["obligation"]) for page in pages for row in page["items"]] == whole
    assert _table(mesh, supervisor, per_page=5, page=4)["items"] == []
    too_many = requests.get(mesh.url(TABLE), headers=supervisor, params={"per_page": 201}, timeout=10)
    assert too_many.status_code == 400


def test_a_declarant_a_portal_session_and_another_group_are_kept_out(mesh, group):
    for path in (TABLE, TABLE + "/evidence"):
        refused = requests.get(mesh.url(path), headers=group["declarant"], params={"year": YEAR}, timeout=10)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "supervisor_only"
        portal = mesh.api_login(mesh.operator_email, mesh.operator_password)
        answer = portal.get(mesh.url(path), params={"year": YEAR}, timeout=10)
        assert answer.status_code == 401 and answer.json()["error"]["code"] == "declarative_sign_in_required"
        assert requests.get(mesh.url(path), timeout=10).status_code == 401
    # Another group's subsidiary is in none of our supervisor's rows, even asked for by its SIREN.
    assert _table(mesh, group["supervisor"], entity=group["other_siren"])["total"] == 0
    others = _table(mesh, group["other_supervisor"], per_page=200)
    assert others["total"] == 6  # its head and its subsidiary × 3 obligations
    assert not {row["entity_id"] for row in others["items"]} & {*group["ids"].values(), group["head"]}
    assert others["summary"]["rejected"] == 1
    # The deposit pages are the scope's too: the supervisor follows its subsidiary's, the other group's does not.
    beta = group["deposits"]["beta-liasse"]["id"]
    assert requests.get(mesh.url(f"{DEPOSITS}/{beta}"), headers=group["supervisor"], timeout=10).status_code == 200
    assert requests.get(mesh.url(f"{DEPOSITS}/{beta}"), headers=group["other_supervisor"], timeout=10).status_code == 404


def _archive(mesh, headers: dict, **query) -> zipfile.ZipFile:
    answer = requests.get(mesh.url(TABLE + "/evidence"), headers=headers, params={"year": YEAR, **query},
                          timeout=60, stream=True)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/zip", answer.text
    assert answer.headers["Content-Disposition"] == f'attachment; filename="supervision-{YEAR}.zip"'
    return zipfile.ZipFile(io.BytesIO(b"".join(answer.iter_content(65536))))


def test_the_evidence_zip_holds_a_folder_per_subsidiary_and_deposit(mesh, group):
    names, sirens, deposits = group["names"], group["sirens"], group["deposits"]
    archive = _archive(mesh, group["supervisor"])
    expected = {}
    for key, entity in (("alpha-liasse", "alpha"), ("alpha-cvae", "alpha"), ("beta-liasse", "beta"),
                        ("gamma-liasse", "gamma")):
        deposit = deposits[key]
        folder = f"{sirens[entity]} {names[entity]}/{deposit['obligation']}-{deposit['id']}"
        for name in ("liasse.ped", "receipt.json", "timeline.json", "README.txt"):
            expected[f"{folder}/{name}"] = deposit
    assert sorted(archive.namelist()) == sorted(expected)
    for name, deposit in expected.items():
        if name.endswith("liasse.ped"):
            assert archive.read(name) == deposit["bytes"]
    assert "SIMULATION" in archive.read(next(name for name in expected if name.endswith("README.txt"))).decode()
    # The criteria narrow it like the table's: one obligation, one subsidiary; never another group's.
    cvae = _archive(mesh, group["supervisor"], obligation="cvae")
    assert {name.split("/")[1] for name in cvae.namelist()} == {f"cvae-{deposits['alpha-cvae']['id']}"}
    beta = _archive(mesh, group["supervisor"], entity=sirens["beta"])
    assert {name.split("/")[0] for name in beta.namelist()} == {f"{sirens['beta']} {names['beta']}"}
    assert _archive(mesh, group["supervisor"], entity=group["other_siren"]).namelist() == []

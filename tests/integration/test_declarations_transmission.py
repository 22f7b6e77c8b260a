"""A deposit's life after the portal's checks, through the gateway, on both backends, with the
simulated EDI partner of the mesh: queued, transmitted, accepted — marked SIMULATION at each
partner's step; a SIREN the simulator does not know rejected with its code explained; the
evidence bundle (the bytes' SHA-256 is the receipt's); another entity's deposit not found."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
import requests

from mesh import DECLARATIVE_DEMO  # deploy/mesh.py (on the path: tests/meshtools.py)
from declaring import DEMO_SIREN, DEPOSITS, _deposit, _new_declarant, _repaired, _signed_in  # tests/declaring.py
from declaring import final as _final, unique as _unique

pytestmark = pytest.mark.mesh


def test_a_deposit_is_transmitted_and_accepted_by_the_simulated_partner(mesh):
    demo = _signed_in(mesh, *DECLARATIVE_DEMO)
    created = _deposit(mesh, demo, _unique(_repaired(DEMO_SIREN)))
    assert created.status_code == 201, created.text
    deposit = created.json()
    assert deposit["status"] == "queued" and deposit["timeline"][-1]["step"] == "queued"

    detail = _final(mesh, demo, deposit["id"])
    assert (detail["status"], detail["simulation"], detail["codes"]) == ("accepted", True, [])
    assert detail["partner_reference"] and detail["transmitted_at"] and detail["acknowledged_at"]
    partner_steps = [step for step in detail["timeline"] if step["source"] != "portal"]
    assert [step["step"] for step in partner_steps][0] == "sent" and partner_steps[-1]["step"] == "accepted"
    assert partner_steps[-1]["source"] == "administration" and partner_steps[-1]["final"]
    assert all(step["simulation"] for step in partner_steps)
    assert not any(step["simulation"] for step in detail["timeline"] if step["source"] == "portal")
    listed = requests.get(mesh.url(DEPOSITS), headers=demo, params={"status": "accepted", "per_page": 200},
                          timeout=10).json()
    assert deposit["id"] in [item["id"] for item in listed["items"]]


def test_a_siren_the_simulator_does_not_know_is_rejected_with_its_code_explained(mesh):
    headers, _, siren = _new_declarant(mesh)  # a random SIREN: unknown to the simulator's taxpayers
    created = _deposit(mesh, headers, _repaired(siren))
    assert created.status_code == 201, created.text
    detail = _final(mesh, headers, created.json()["id"])
    assert detail["status"] == "rejected" and detail["simulation"] is True
    [code] = detail["codes"]
    assert code["code"] == "009" and code["text"] and code["action"]
    last = detail["timeline"][-1]
    assert (last["step"], last["source"], last["error"], last["final"], last["simulation"]) == \
        ("rejected", "administration", True, True, True)
    assert [explained["code"] for explained in last["explanation"]] == ["009"]


def test_the_evidence_bundle_proves_the_deposit_and_is_another_s_404(mesh):
    demo = _signed_in(mesh, *DECLARATIVE_DEMO)
    good = _unique(_repaired(DEMO_SIREN))
    deposit = _deposit(mesh, demo, good).json()
    _final(mesh, demo, deposit["id"])
    answer = requests.get(mesh.url(f"{DEPOSITS}/{deposit['id']}/evidence"), headers=demo, timeout=30, stream=True)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/zip"
    assert "Content-Length" not in answer.headers  # streamed as it is written
    archive = zipfile.ZipFile(io.BytesIO(b"".join(answer.iter_content(65536))))
    assert sorted(archive.namelist()) == ["README.txt", "liasse.ped", "receipt.json", "timeline.json"]
    receipt = json.loads(archive.read("receipt.json"))
    assert hashlib.sha256(archive.read("liasse.ped")).hexdigest() == receipt["claims"]["sha256"] == deposit["sha256"]
    assert archive.read("liasse.ped") == good
    keys = requests.get(mesh.url("/api/declarations/receipts/keys"), timeout=10).json()["keys"]
    assert receipt["key"] in keys
    timeline = json.loads(archive.read("timeline.json"))
    assert timeline["status"] == "accepted" and timeline["simulation"] is True
    assert "SIMULATION" in archive.read("README.txt").decode()

    other = _new_declarant(mesh)[0]
    for path in ("", "/evidence", "/file", "/receipt"):
        refused = requests.get(mesh.url(f"{DEPOSITS}/{deposit['id']}{path}"), headers=other, timeout=10)
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"

"""The deposit's JSON after transmission (states, simulation, steps' sources), the list's filters,
and the evidence bundle: a ZIP of the exact bytes, the receipt with its key, the timeline, a
README — another entity's deposit not found."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from portalkit.filestore import default_store
from portalkit.signing_keys import b64url_decode

from declarations import transmission

from .test_declarations_transmission import SETTINGS, FakePartner, report

BASE = "/declarations/deposits"


def deposit(client, headers, data: bytes, name: str = "liasse.ped"):
    answer = client.post(BASE, headers=headers, data={"file": (io.BytesIO(data), name)},
                         content_type="multipart/form-data")
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def taken(database, partner=None):
    partner = partner or FakePartner()
    transmission.transmit_due(database, partner, default_store(), SETTINGS)
    for reference in list(partner.filings):
        partner.answers[f"REF-{reference[:8]}"] = [report(1, "partner", "taken")]
    transmission.poll_due(database, partner, SETTINGS)
    return partner


def test_the_deposit_shows_its_transmission(client, declarant, good, database):
    own = declarant("c-blabla")
    created = deposit(client, own, good)
    assert (created["status"], created["simulation"], created["partner_reference"], created["codes"]) == \
        ("queued", False, None, [])
    taken(database)
    detail = client.get(f"{BASE}/{created['id']}", headers=own).get_json()
    assert (detail["status"], detail["simulation"], detail["partner_reference"]) == ("taken", True, f"REF-{created['id'][:8]}")
    assert detail["transmitted_at"] and detail["acknowledged_at"] is None
    assert [(s["step"], s["source"], s["simulation"]) for s in detail["timeline"][-3:]] == \
        [("queued", "portal", False), ("sent", "partner", True), ("taken", "partner", True)]


def test_the_list_filters_by_status_obligation_and_closing(client, declarant, good, database):
    own = declarant("c-blabla")
    first = deposit(client, own, good)
    taken(database)
    second = deposit(client, own, good.replace(b"RFF+ACD:IS1", b"RFF+ACD:IS2"))

    def ids(query):
        answer = client.get(f"{BASE}?{query}", headers=own)
        assert answer.status_code == 200, answer.get_json()
        return [item["id"] for item in answer.get_json()["items"]]

    assert ids("status=taken") == [first["id"]] and ids("status=queued") == [second["id"]]
    assert ids("obligation=liasse&per_page=1&page=2") == [first["id"]]
    assert set(ids(f"closing={first['period_end']}")) == {first["id"], second["id"]}
    assert ids("closing=2001-12-31") == []
    for bad in ("status=lost", "closing=yesterday", "obligation=tea"):
        answer = client.get(f"{BASE}?{bad}", headers=own)
        assert answer.status_code == 400 and answer.get_json()["error"]["code"]


def test_the_evidence_bundle_holds_what_proves_the_deposit(client, declarant, good, database):
    own = declarant("c-blabla")
    created = deposit(client, own, good, "BLABLA liasse.ped")
    taken(database)
    answer = client.get(f"{BASE}/{created['id']}/evidence", headers=own)
    assert answer.status_code == 200 and answer.mimetype == "application/zip" and answer.is_streamed
    assert f"evidence-{created['id']}.zip" in answer.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    assert sorted(archive.namelist()) == ["BLABLA liasse.ped", "README.txt", "receipt.json", "timeline.json"]
    content = archive.read("BLABLA liasse.ped")
    receipt = json.loads(archive.read("receipt.json"))
    assert content == good and hashlib.sha256(content).hexdigest() == receipt["claims"]["sha256"]
    payload, signature = receipt["receipt"].split(".")
    assert receipt["key"]["key_id"] == receipt["claims"]["key_id"]
    Ed25519PublicKey.from_public_bytes(b64url_decode(receipt["key"]["public_key"])).verify(
        b64url_decode(signature), b64url_decode(payload))
    timeline = json.loads(archive.read("timeline.json"))
    assert timeline["status"] == "taken" and timeline["simulation"] is True
    assert [step["step"] for step in timeline["timeline"]][-2:] == ["sent", "taken"]
    readme = archive.read("README.txt").decode()
    assert "SIMULATION" in readme and "receipt.json" in readme and "Preuve" in readme


def test_another_entity_s_deposit_is_not_found_on_the_new_routes(client, declarant, good):
    created = deposit(client, declarant("c-blabla"), good)
    other = declarant("c-other")
    for path in (f"{BASE}/{created['id']}/evidence", f"{BASE}/{created['id']}"):
        answer = client.get(path, headers=other)
        assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "not_found"
    assert client.get(f"{BASE}/nothing/evidence", headers=declarant("c-blabla")).status_code == 404

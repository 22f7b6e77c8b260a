"""The deposit routes through the app: accepted with a receipt verified offline, followed (list,
timeline, exact bytes, receipt), refused whole (400 in the caller's language, 409, 413, 415)
with nothing stored, and another entity's deposit not found."""
from __future__ import annotations

import io
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select

from portalkit import testing
from portalkit.signing_keys import b64url_decode

from declarations.models import Deposit, DepositStep, OutboxMessage

BASE = "/declarations/deposits"


def deposit(client, headers, data: bytes, name: str = "liasse.ped"):
    return client.post(BASE, headers=headers, data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def stored_files(tmp_path: Path) -> list[Path]:
    return [path for path in (tmp_path / "files").rglob("*") if path.is_file()] if (tmp_path / "files").exists() else []


def count(database, model) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_an_accepted_deposit_gets_a_receipt_that_verifies_offline(client, declarant, good, database, tmp_path):
    answer = deposit(client, declarant("c-blabla"), good)
    assert answer.status_code == 201, answer.get_json()
    assert [path.read_bytes() for path in stored_files(tmp_path)] == [good]
    body = answer.get_json()
    assert (body["siren"], body["status"], body["corrective"], body["campaign"]) == ("732829320", "queued", False, 2024)
    # Queued for the EDI partner (transmission.py): the portal's last step, not a final one.
    assert [step["step"] for step in body["timeline"]][-1] == "queued" and not body["timeline"][-1]["final"]
    # Offline: the public keys (a public route), then Ed25519 over the payload's bytes.
    keys = client.get("/declarations/receipts/keys", headers=testing.signed_headers()).get_json()["keys"]
    payload_text, signature_text = body["receipt"].split(".")
    payload = b64url_decode(payload_text)
    claims = json.loads(payload)
    key = next(key for key in keys if key["key_id"] == claims["key_id"])
    Ed25519PublicKey.from_public_bytes(b64url_decode(key["public_key"])).verify(b64url_decode(signature_text), payload)
    import hashlib
    assert claims == {"deposit_id": body["id"], "siren": "732829320", "sha256": hashlib.sha256(good).hexdigest(),
                      "deposited_at": claims["deposited_at"], "key_id": key["key_id"]}
    [event] = testing.recorded_events(database, OutboxMessage)
    assert event["type"] == "DeclarationDeposited" and event["data"]["deposit_id"] == body["id"]


def test_the_raw_body_is_accepted_as_edifact(client, declarant, good):
    answer = client.post(BASE, headers=declarant("c-blabla"), data=good, content_type="application/edifact")
    assert answer.status_code == 201, answer.get_json()


def test_a_deposit_is_followed_and_another_entity_s_is_not_found(client, declarant, good):
    created = deposit(client, declarant("c-blabla"), good).get_json()
    own = declarant("c-blabla")
    listed = client.get(BASE, headers=own).get_json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == created["id"]
    assert client.get(f"{BASE}?entity=c-other", headers=own).get_json() == {"items": [], "total": 0}
    detail = client.get(f"{BASE}/{created['id']}", headers=own).get_json()
    assert [step["step"] for step in detail["timeline"]] == ["received", "syntax", "envelope", "message", "declarant",
                                                           "identification", "campaign", "queued"]
    assert not any(step["error"] for step in detail["timeline"])
    downloaded = client.get(f"{BASE}/{created['id']}/file", headers=own)
    assert downloaded.status_code == 200 and downloaded.data == good
    receipt = client.get(f"{BASE}/{created['id']}/receipt", headers=own).get_json()
    assert receipt["receipt"] == created["receipt"] and receipt["claims"]["deposit_id"] == created["id"]
    # A supervisor of both entities sees it; a declarant of the other entity does not.
    supervisor = declarant("c-blabla", "c-other", role="supervisor", user="d-2")
    assert client.get(BASE, headers=supervisor).get_json()["total"] == 1
    stranger = declarant("c-other", user="d-3")
    assert client.get(BASE, headers=stranger).get_json()["total"] == 0
    for path in ("", "/file", "/receipt"):
        assert client.get(f"{BASE}/{created['id']}{path}", headers=stranger).status_code == 404


def test_a_portal_session_or_no_session_is_refused(client, good):
    portal = testing.signed_headers(user_id="u-1", company_id="c-blabla")
    for headers in (portal, testing.signed_headers()):
        assert deposit(client, headers, good).status_code == 401
        assert client.get(BASE, headers=headers).status_code == 401


def test_duplicate_and_corrective_filings(client, declarant, good):
    own = declarant("c-blabla")
    assert deposit(client, own, good).status_code == 201
    again = deposit(client, own, good)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "duplicate_filing"
    corrected = deposit(client, own, good.replace(b"RFF+ACD:IS1", b"RFF+ACD:IS2"))
    assert corrected.status_code == 201 and corrected.get_json()["corrective"] is True


def test_a_refusal_names_the_segment_in_the_caller_s_language_and_stores_nothing(client, declarant, sample, database,
                                                                                  tmp_path):
    answer = deposit(client, declarant("c-blabla", language="fr"), sample)
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error["code"] == "wrong_count" and error["fields"]["location"] == {"segment": "UNT", "index": 99, "element": 1}
    assert error["message"].startswith("UNT annonce 542")
    # Every fault the checks found, the first included: the count, then the SIREN's key.
    assert [(fault["code"], fault["location"]) for fault in error["fields"]["faults"]] == [
        ("wrong_count", {"segment": "UNT", "index": 99, "element": 1}),
        ("invalid_siren", {"segment": "NAD", "index": 9, "element": 2, "component": 1})]
    assert error["fields"]["faults"][0]["message"] == error["message"]
    assert error["fields"]["faults"][1]["message"].startswith("Le SIREN du déclarant « 999999999 »")
    assert stored_files(tmp_path) == [] and count(database, Deposit) == 0 and count(database, DepositStep) == 0


def test_too_large_or_not_a_file_is_refused_and_nothing_is_stored(client, declarant, good, database, tmp_path,
                                                                  monkeypatch):
    own = declarant("c-blabla")
    fifty_mb = b"UNA:+.? '" + b"x" * (50 * 1024 * 1024)
    assert client.post(BASE, headers=own, data=fifty_mb, content_type="application/edifact").status_code == 413
    monkeypatch.setenv("PORTAL_DECLARATIONS_MAX_BYTES", "1000")
    assert deposit(client, own, good).status_code == 413
    assert client.post(BASE, headers=own, data=good, content_type="application/edifact").status_code == 413
    assert client.post(BASE, headers=own, data=good, content_type="text/plain").status_code == 415
    assert stored_files(tmp_path) == [] and count(database, Deposit) == 0

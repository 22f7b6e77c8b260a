"""Deposits of the declarative portal through the gateway, on both backends: the demo declarant
deposits the issue's sample (its two faults repaired), gets 201 with a receipt that verifies with
the public keys, lists it, reads its timeline and downloads the exact bytes; another declarant gets
404, a portal token 401; malformed filings are refused (400, 413) and nothing is kept. A declarant
known to notifications (issued over the bus, or the demo's, recorded) is mailed the deposit's receipt."""
from __future__ import annotations

import json

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from portalkit.signing_keys import b64url_decode

from mesh import DECLARATIVE_DEMO  # deploy/mesh.py (on the path: tests/meshtools.py)
from meshtools import mail_text

import declaring  # tests/declaring.py

pytestmark = pytest.mark.mesh
SAMPLE, DEMO_SIREN, DEPOSITS = declaring.SAMPLE, declaring.DEMO_SIREN, declaring.DEPOSITS
_repaired, _signed_in, _deposit = declaring._repaired, declaring._signed_in, declaring._deposit
_new_declarant, _another_declarant = declaring._new_declarant, declaring._another_declarant


def test_a_declarant_deposits_follows_and_proves_a_filing(mesh):
    demo = _signed_in(mesh, *DECLARATIVE_DEMO)
    good = _repaired(DEMO_SIREN)
    created = _deposit(mesh, demo, good)
    assert created.status_code == 201, created.text
    deposit = created.json()
    assert (deposit["siren"], deposit["status"], deposit["campaign"]) == (DEMO_SIREN, "queued", 2024)
    # The demo declarant, made known to notifications by identity's DeclarantRecorded, is mailed too.
    receipt = mesh.wait_for_mail("declarant@demo.localhost", containing=deposit["sha256"])
    assert receipt["Subject"] == "Portail déclaratif Etafi\u00a0: votre liasse a été reçue"

    # The receipt verifies offline with the published key (no session needed to fetch it).
    keys = requests.get(mesh.url("/api/declarations/receipts/keys"), timeout=10).json()["keys"]
    payload_text, signature_text = deposit["receipt"].split(".")
    claims = json.loads(b64url_decode(payload_text))
    key = next(key for key in keys if key["key_id"] == claims["key_id"])
    Ed25519PublicKey.from_public_bytes(b64url_decode(key["public_key"])).verify(
        b64url_decode(signature_text), b64url_decode(payload_text))
    assert (claims["deposit_id"], claims["siren"], claims["sha256"]) == (deposit["id"], DEMO_SIREN, deposit["sha256"])

    listed = requests.get(mesh.url(DEPOSITS), headers=demo, timeout=10).json()
    assert deposit["id"] in [item["id"] for item in listed["items"]]
    detail = requests.get(mesh.url(f"{DEPOSITS}/{deposit['id']}"), headers=demo, timeout=10).json()
    # The portal's checks end with "queued" (not final): the partner's steps follow
    # (test_declarations_transmission.py); the worker may have sent it already.
    steps = [step["step"] for step in detail["timeline"]]
    assert steps[steps.index("queued") - 1] == "campaign" and not detail["timeline"][steps.index("queued")]["final"]
    downloaded = requests.get(mesh.url(f"{DEPOSITS}/{deposit['id']}/file"), headers=demo, timeout=10)
    assert downloaded.status_code == 200 and downloaded.content == good
    again = _deposit(mesh, demo, good)
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate_filing"

    # Another declarant does not see it; a portal session does not open the space.
    other = _another_declarant(mesh)
    for path in ("", "/file", "/receipt"):
        assert requests.get(mesh.url(f"{DEPOSITS}/{deposit['id']}{path}"), headers=other, timeout=10).status_code == 404
    portal = mesh.api_login(mesh.operator_email, mesh.operator_password)
    assert portal.get(mesh.url(DEPOSITS), timeout=10).status_code == 401
    assert portal.post(mesh.url(DEPOSITS), files={"file": ("liasse.ped", good)}, timeout=10).status_code == 401


def test_the_declarant_is_mailed_the_receipt_of_the_deposit(mesh):
    headers, address, siren = _new_declarant(mesh)
    # declarations learns the company's SIREN over the bus, before the operator's answer (CONTRACT.md,
    # "Consistency"): the very next deposit names an entity of theirs, no waiting.
    created = _deposit(mesh, headers, _repaired(siren))
    assert created.status_code == 201, created.text
    deposit = created.json()
    mail = mesh.wait_for_mail(address, "Etafi declarative portal: your filing was received", containing=deposit["sha256"])
    text = mail_text(mail)
    assert siren in text and "liasse.ped" in text and mesh.url("/declarations/deposit") in text
    assert deposit["sha256"] in mail.get_body(("html",)).get_content()


def test_malformed_filings_are_refused_and_nothing_is_kept(mesh):
    demo = _signed_in(mesh, *DECLARATIVE_DEMO)
    before = requests.get(mesh.url(DEPOSITS), headers=demo, timeout=10).json()["total"]
    files = mesh.mesh.var_dir / "files"
    # Every declarant's files are in the store (other tests deposit too): count them now, not the demo's.
    kept = len(list((files / "deposits").glob("*"))) if mesh.backend == "embedded" else 0
    good = _repaired(DEMO_SIREN)
    published = _deposit(mesh, demo, SAMPLE.read_bytes())
    assert published.status_code == 400
    error = published.json()["error"]
    assert error["code"] == "wrong_count" and error["fields"]["location"] == {"segment": "UNT", "index": 99, "element": 1}
    assert error["message"].startswith("UNT annonce 542")  # the demo declarant reads French
    assert [(fault["code"], fault["location"]["segment"]) for fault in error["fields"]["faults"]] == [
        ("wrong_count", "UNT"), ("invalid_siren", "NAD")]  # every fault, not only the first
    for data, code in ((good[:len(good) // 2], "syntax_error"), (good.replace(b"UNE+1+1", b"UNE+2+1"), "wrong_count"),
                       (good.replace(b"UNB+UNOL", b"UNB+UNOX"), "unknown_charset"),
                       (bytes(range(256)) * 64, "no_interchange"), (good[:-2] + b"?'", "syntax_error")):
        refused = _deposit(mesh, demo, data)
        assert (refused.status_code, refused.json()["error"]["code"]) == (400, code)
    fifty_mb = requests.post(mesh.url(DEPOSITS), headers={**demo, "Content-Type": "application/edifact"},
                             data=b"UNA:+.? '" + b"x" * (50 * 1024 * 1024), timeout=60)
    # Refused by the gateway itself (declarations' limit, the same variable), before it streams on.
    assert fifty_mb.status_code == 413 and "bytes the portal accepts on this route" in fifty_mb.json()["error"]["message"]
    assert requests.get(mesh.url(DEPOSITS), headers=demo, timeout=10).json()["total"] == before
    if mesh.backend == "embedded":  # the other keeps them in S3
        assert len(list((files / "deposits").glob("*"))) == kept and not list((files / ".incoming").glob("*"))

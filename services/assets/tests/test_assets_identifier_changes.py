"""Identifier changes: a user asks (202), an operator approves (old codes revoked, new ones issued,
the revocation list public) or refuses; each step told by its event."""
from __future__ import annotations

import pytest

from assets import serialization_codes
from assets.signing_keys import key_ring

from serialization_fixtures import COMPANY, OTHER, admin, downloader, seed


@pytest.fixture
def ids(database, handle):
    return seed(database, handle)


def ask(client, headers, new_machine_id, *holding_ids, reason="The PC was replaced"):
    return client.post("/assets/identifier-changes", json={
        "holding_ids": list(holding_ids), "new_machine_id": new_machine_id, "reason": reason}, headers=headers)


@pytest.fixture
def served(client, ids, signed):
    """The ``set`` holding's code on OLD-PC, issued before the change."""
    return client.post("/assets/serializations", json={"machine_id": "OLD-PC", "holding_ids": [ids["set"]]},
                       headers=admin(signed)).get_json()["items"][0]


def test_an_approved_change_revokes_the_old_code_and_issues_a_new_one(client, ids, signed, operator, events, served,
                                                                      handle):
    handle("UserActivated", {"user_id": "dl", "company_id": COMPANY, "email": "dl@acme.test", "first_name": "Dora",
                             "last_name": "Lind", "language": "fr", "security_level": 2})
    asked = ask(client, downloader(signed, language="fr"), "NEW-PC", ids["set"])
    assert asked.status_code == 202 and asked.get_json()["status"] == "pending"
    change_id = asked.get_json()["id"]
    kind, data = events()[-1]
    assert kind == "IdentifierChangeRequested"
    assert (data["user_id"], data["first_name"], data["company_name"], data["new_machine_id"], data["holdings"]) == (
        "dl", "Dora", "Acme", "NEW-PC", [{"holding_id": ids["set"], "product": "PAY", "previous_machine_id": "OLD-PC"}])
    queue = client.get("/operator/identifier-changes?status=pending", headers=operator).get_json()
    assert [item["id"] for item in queue["items"]] == [change_id] and queue["total"] == 1
    assert queue["items"][0]["holdings"] == [{"holding_id": ids["set"], "previous_machine_id": "OLD-PC",
                                              "product": {"code": "PAY", "name": "Payroll"}}]
    assert queue["items"][0]["company"] == {"id": COMPANY, "number": "C-1", "name": "Acme"}
    assert client.get("/assets/serialization/revocations", headers=signed(None)).get_json()["total"] == 0

    decided = client.post(f"/operator/identifier-changes/{change_id}/approve", json={}, headers=operator)
    assert decided.status_code == 200 and decided.get_json()["status"] == "approved"
    kinds = [kind for kind, _ in events()]
    assert kinds[-3:] == ["SerializationChanged", "SerializationCodesIssued", "IdentifierChangeDecided"]
    changed, issued, told = (data for _, data in events()[-3:])
    assert (changed["identifier"], changed["previous_identifier"], changed["revoked_code_ids"]) == (
        "NEW-PC", "OLD-PC", [served["code_id"]])
    assert (issued["operator_id"], issued["change_id"], issued["machine_id"]) == ("op", change_id, "NEW-PC")
    assert (told["decision"], told["user_id"], told["email"], told["language"]) == ("approved", "dl", "dl@acme.test", "fr")

    revoked = client.get("/assets/serialization/revocations", headers=signed(None)).get_json()
    assert revoked["total"] == 1
    assert revoked["items"][0]["code_id"] == served["code_id"]
    assert revoked["items"][0]["sha256"] == serialization_codes.fingerprint(served["code"])
    statement = serialization_codes.verify(key_ring(), revoked["signed"])  # signed like a code
    assert (statement["revoked"], statement["total"], statement["page"]) == ([served["code_id"]], 1, 1)
    # The holding now serializes on the new machine only, with the code the approval issued.
    again = client.post("/assets/serializations", json={"machine_id": "NEW-PC", "holding_ids": [ids["set"]]},
                        headers=admin(signed)).get_json()["items"][0]
    assert again["code_id"] == changed["issued_code_ids"][0]
    assert serialization_codes.verify(key_ring(), again["code"])["machine_id"] == "NEW-PC"
    old = client.post("/assets/serializations", json={"machine_id": "OLD-PC", "holding_ids": [ids["set"]]},
                      headers=admin(signed))
    assert old.status_code == 409 and old.get_json()["error"]["code"] == "identifier_set"
    # Decided once only.
    for verb in ("approve", "refuse"):
        again = client.post(f"/operator/identifier-changes/{change_id}/{verb}", json={}, headers=operator)
        assert again.status_code == 409 and again.get_json()["error"]["code"] == "change_decided"


def test_a_refused_change_changes_nothing(client, ids, signed, operator, events, served):
    change_id = ask(client, admin(signed), "NEW-PC", ids["set"]).get_json()["id"]
    refused = client.post(f"/operator/identifier-changes/{change_id}/refuse", json={"reason": "Not the same site"},
                          headers=operator)
    assert refused.status_code == 200
    assert (refused.get_json()["status"], refused.get_json()["decision_reason"]) == ("refused", "Not the same site")
    assert events()[-1][0] == "IdentifierChangeDecided" and events()[-1][1]["decision"] == "refused"
    assert events()[-1][1]["email"] is None  # assets never heard of "boss": no address to mail
    assert client.get("/assets/serialization/revocations", headers=signed(None)).get_json()["total"] == 0
    same = client.post("/assets/serializations", json={"machine_id": "OLD-PC", "holding_ids": [ids["set"]]},
                       headers=admin(signed)).get_json()["items"][0]
    assert same["code"] == served["code"]


def test_requests_are_checked(client, ids, signed, operator):
    assert ask(client, admin(signed), "OLD-PC", ids["set"]).get_json()["error"]["code"] == "identifier_unchanged"
    assert ask(client, admin(signed), "NEW", ids["other"]).status_code == 404
    assert ask(client, admin(signed), "NEW", ids["box"]).get_json()["error"]["code"] == "not_serializable"
    assert ask(client, signed("u1", COMPANY), "NEW", ids["set"]).status_code == 403
    assert ask(client, admin(signed), "", ids["set"]).status_code == 400
    assert ask(client, admin(signed), "NEW", ids["set"], reason="").status_code == 400
    assert ask(client, admin(signed), "NEW", ids["set"]).status_code == 202
    pending = ask(client, admin(signed), "OTHER", ids["set"])
    assert pending.status_code == 409 and pending.get_json()["error"]["code"] == "change_pending"


def test_only_operators_decide_and_each_company_sees_its_own(client, ids, signed, operator):
    change_id = ask(client, admin(signed), "NEW", ids["set"]).get_json()["id"]
    for headers in (admin(signed), downloader(signed)):
        assert client.get("/operator/identifier-changes", headers=headers).status_code == 403
        assert client.post(f"/operator/identifier-changes/{change_id}/approve", json={}, headers=headers).status_code == 403
    own = client.get("/assets/identifier-changes", headers=downloader(signed)).get_json()
    assert [item["id"] for item in own["items"]] == [change_id]
    assert client.get("/assets/identifier-changes", headers=admin(signed, OTHER, "z")).get_json()["total"] == 0
    assert client.post("/operator/identifier-changes/nope/approve", json={}, headers=operator).status_code == 404
    assert client.get(f"/operator/identifier-changes/{change_id}", headers=operator).get_json()["new_machine_id"] == "NEW"

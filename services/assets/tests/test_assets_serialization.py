"""POST /assets/serializations: who may, which holdings, the identifier rules, the codes' format
and keys, the rate limit per company, and the event for the company's trail."""
from __future__ import annotations

import pytest

from assets import serialization_codes, signing_keys
from assets.signing_keys import key_ring, new_key_text, parse_keys

from serialization_fixtures import COMPANY, OTHER, add_holding, admin, downloader, seed


@pytest.fixture
def ids(database, handle):
    return seed(database, handle)


def serialize(client, headers, machine_id, *holding_ids):
    return client.post("/assets/serializations", json={"machine_id": machine_id, "holding_ids": list(holding_ids)},
                       headers=headers)


def test_an_administrator_gets_a_signed_code_per_holding(client, ids, signed, events):
    response = serialize(client, admin(signed, language="fr"), "PC-042", ids["erp"], ids["pay"])
    assert response.status_code == 201, response.get_json()
    items = response.get_json()["items"]
    assert [(i["holding_id"], i["machine_id"], i["product"]["code"], i["product"]["name"]) for i in items] == [
        (ids["erp"], "PC-042", "ERP", "Grand livre"), (ids["pay"], "PC-042", "PAY", "Paie")]
    claims = serialization_codes.verify(key_ring(), items[0]["code"])
    assert claims == {"code_id": items[0]["code_id"], "company": COMPANY, "product": "ERP", "machine_id": "PC-042",
                      "major_version": 7, "issued_on": "2026-11-23", "key_id": key_ring().current.key_id}
    assert serialization_codes.verify(key_ring(), items[1]["code"])["major_version"] is None
    [(kind, data)] = events()
    assert kind == "SerializationCodesIssued"
    assert (data["company_id"], data["user_id"], data["machine_id"]) == (COMPANY, "boss", "PC-042")
    assert [code["product"] for code in data["codes"]] == ["ERP", "PAY"]


def test_the_same_machine_again_answers_the_live_code(client, ids, signed, events):
    first = serialize(client, downloader(signed), "PC-1", ids["erp"]).get_json()["items"][0]
    again = serialize(client, downloader(signed), "PC-1", ids["erp"], ids["pay"]).get_json()["items"]
    assert again[0]["code"] == first["code"]
    assert [len(data["codes"]) for _, data in events()] == [1, 1]  # only the new one told


def test_an_identifier_set_is_not_changed_in_place(client, ids, signed, events):
    response = serialize(client, admin(signed), "NEW-PC", ids["set"], ids["erp"])
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "identifier_set"
    assert list(response.get_json()["error"]["fields"]["holding_ids"]) == [ids["set"]]
    assert events() == []  # all or nothing: erp got nothing either
    assert serialize(client, admin(signed), "OLD-PC", ids["set"]).status_code == 201


def test_only_serializable_holdings_under_contract(client, ids, signed, database):
    response = serialize(client, admin(signed), "PC", ids["box"])
    assert (response.status_code, response.get_json()["error"]["code"]) == (409, "not_serializable")
    uncovered = add_holding(database, OTHER, ids["product_erp"])
    other_admin = admin(signed, OTHER, "zboss")
    response = serialize(client, other_admin, "PC", uncovered)
    assert (response.status_code, response.get_json()["error"]["code"]) == (409, "not_on_contract")


def test_another_companys_holding_answers_404(client, ids, signed):
    assert serialize(client, admin(signed), "PC", ids["other"]).status_code == 404
    assert serialize(client, admin(signed), "PC", "nope").status_code == 404


def test_who_may_serialize(client, ids, signed):
    assert serialize(client, signed("u1", COMPANY), "PC", ids["erp"]).status_code == 403
    # Rights for another company do not count for one's own.
    assert serialize(client, admin(signed, OTHER, "x") | {}, "PC", ids["erp"]).status_code == 404
    assert serialize(client, signed(None), "PC", ids["erp"]).status_code == 401
    assert serialize(client, signed("op", operator=True), "PC", ids["erp"]).status_code == 403


@pytest.mark.parametrize("machine_id, reason", [
    ("", "empty"), ("   ", "blank"), ("x" * 65, "too long"), ("PC\n1", "not printable"), ("PC\u20281", "separator"),
    (42, "not a string")])
def test_machine_id_is_checked(client, ids, signed, machine_id, reason):
    response = serialize(client, admin(signed), machine_id, ids["erp"])
    assert response.status_code == 400, reason
    assert "machine_id" in response.get_json()["error"]["fields"]


def test_bad_selections(client, ids, signed):
    for body in ({"machine_id": "PC"}, {"machine_id": "PC", "holding_ids": []},
                 {"machine_id": "PC", "holding_ids": "abc"}, {"machine_id": "PC", "holding_ids": [ids["erp"]], "x": 1}):
        response = client.post("/assets/serializations", json=body, headers=admin(signed))
        assert response.status_code == 400, body


def test_serialization_is_rate_limited_per_company(monkeypatch, database, handle, signed):
    monkeypatch.setenv("PORTAL_ASSETS_SERIALIZATION_RATE_LIMIT", "3/minute")
    from assets.app import create_app
    client = create_app({"TESTING": True}).test_client()
    ids = seed(database, handle)
    for _ in range(3):
        assert serialize(client, admin(signed), "PC", ids["erp"]).status_code == 201
    refused = serialize(client, downloader(signed), "PC", ids["erp"])
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Another company has its own count.
    assert serialize(client, admin(signed, OTHER, "z"), "PC", ids["other"]).status_code == 409


def test_a_new_key_signs_and_the_old_codes_keep_verifying(client, ids, signed, monkeypatch):
    old = new_key_text("2026-a")
    monkeypatch.setenv("PORTAL_ASSETS_SIGNING_KEYS", old)
    old_code = serialize(client, admin(signed), "PC", ids["erp"]).get_json()["items"][0]
    assert old_code["key_id"] == "2026-a"
    monkeypatch.setenv("PORTAL_ASSETS_SIGNING_KEYS", f"{new_key_text('2027-a')},{old}")
    new_code = serialize(client, admin(signed), "PC", ids["pay"]).get_json()["items"][0]
    assert new_code["key_id"] == "2027-a"
    keys = client.get("/assets/serialization/keys", headers=signed(None)).get_json()
    assert keys["current"] == "2027-a" and [k["key_id"] for k in keys["items"]] == ["2027-a", "2026-a"]
    current = client.get("/assets/serialization/key", headers=signed(None)).get_json()
    assert (current["key_id"], current["algorithm"]) == ("2027-a", "Ed25519")
    for code in (old_code, new_code):
        assert serialization_codes.verify(key_ring(), code["code"])["key_id"] == code["key_id"]
    # Removed from the setting, the old key verifies nothing more.
    monkeypatch.setenv("PORTAL_ASSETS_SIGNING_KEYS", new_key_text("2028-a"))
    with pytest.raises(serialization_codes.InvalidCode):
        serialization_codes.verify(key_ring(), old_code["code"])


def test_a_tampered_code_does_not_verify(client, ids, signed):
    code = serialize(client, admin(signed), "PC", ids["erp"]).get_json()["items"][0]["code"]
    payload, signature = code.split(".")
    forged = signing_keys.b64url(
        signing_keys.b64url_decode(payload).replace(b"PC", b"PX")) + "." + signature
    for bad in (forged, "garbage", code + "x", "a.b.c"):
        with pytest.raises(serialization_codes.InvalidCode):
            serialization_codes.verify(key_ring(), bad)


def test_the_keys_setting_is_checked(monkeypatch):
    from portalkit.settings import SettingsError
    for text in ("nokey", "a:not base64!", "a:" + "QUJD", "bad id:" + new_key_text("x").split(":")[1],
                 new_key_text("a") + "," + new_key_text("a")):
        with pytest.raises(SettingsError):
            parse_keys(text)
    monkeypatch.delenv("PORTAL_ASSETS_SIGNING_KEYS", raising=False)
    monkeypatch.setenv("PORTAL_ENV", "production")
    from assets.signing_keys import load_keys
    with pytest.raises(SettingsError):
        load_keys()


def test_a_production_without_keys_answers_503_not_500(client, ids, signed, monkeypatch):
    from portalkit.settings import identity_secret
    monkeypatch.setenv("PORTAL_IDENTITY_SECRET", identity_secret())  # production's own, set
    monkeypatch.delenv("PORTAL_ASSETS_SIGNING_KEYS", raising=False)
    monkeypatch.setenv("PORTAL_ENV", "production")
    for response in (serialize(client, admin(signed), "PC", ids["erp"]),
                     client.get("/assets/serialization/key", headers=signed(None))):
        assert response.status_code == 503 and response.get_json()["error"]["code"] == "signing_keys_missing"

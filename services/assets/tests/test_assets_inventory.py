"""/assets/inventory: "Your IT assets" — a company's holdings with their product in the caller's
language, whether a contract covers them and their live code; filters; who sees whose."""
from datetime import date

import pytest

from assets.models import SerializationCode

SUPERVISION = "user-management-supervision-administration"


@pytest.fixture
def scene(client, handle, operator, database):
    """Acme (c1) with a shop (c1-shop) below it and its shop's kiosk below that; Zed (c2) apart."""
    handle("CompanyRegistered", {"company_id": "c1", "number": "C-1", "name": "Acme"})
    handle("CompanyRegistered", {"company_id": "c1-shop", "number": "C-1S", "name": "Acme shop", "parent_id": "c1"})
    handle("CompanyRegistered", {"company_id": "c1-kiosk", "number": "C-1K", "name": "Kiosk",
                                 "parent_id": "c1-shop"})
    handle("CompanyRegistered", {"company_id": "c2", "number": "C-2", "name": "Zed"})

    def product(code, en, fr, kind, serializable=False):
        return client.post("/operator/products", headers=operator, json={
            "code": code, "name_en": en, "name_fr": fr, "kind": kind, "brand": "Etafi", "domain": "HR",
            "serializable": serializable, "major_version": 3}).get_json()["id"]

    def holding(company_id, product_id, quantity=1, machine_id=None):
        return client.post("/operator/holdings", headers=operator, json={
            "company_id": company_id, "product_id": product_id, "quantity": quantity,
            "machine_id": machine_id}).get_json()["id"]

    payroll = product("PAY", "Payroll", "Paie", "software", serializable=True)
    scanner = product("SCAN", "Scanner", "Numériseur", "hardware")
    ids = {"payroll": holding("c1", payroll, 2, "PC-1"), "scanner": holding("c1", scanner, 1, "PC-1"),
           "payroll2": holding("c1", payroll, 1), "shop": holding("c1-shop", scanner),
           "kiosk": holding("c1-kiosk", scanner), "zed": holding("c2", payroll)}
    gone = holding("c1", scanner)
    client.delete(f"/operator/holdings/{gone}", headers=operator)
    # Acme's contract covers the payroll on PC-1 only; Zed's covers everything of Zed's.
    client.post("/operator/contracts", headers=operator, json={"company_id": "c1", "starts_on": "2026-01-01",
                                                               "holding_ids": [ids["payroll"]]})
    client.post("/operator/contracts", headers=operator, json={"company_id": "c2", "starts_on": "2026-01-01"})
    with database.transaction() as session:
        session.add(SerializationCode(holding_id=ids["payroll"], company_id="c1", product_id=payroll,
                                      machine_id="PC-1", major_version=3, key_id="k1", code="old.code",
                                      issued_on=date(2026, 1, 2), revoked_at=database_now()))
        session.add(SerializationCode(holding_id=ids["payroll"], company_id="c1", product_id=payroll,
                                      machine_id="PC-1", major_version=3, key_id="k1", code="live.code",
                                      issued_on=date(2026, 11, 20)))
    return ids


def database_now():
    from portalkit.db import utcnow
    return utcnow()


def listing(client, headers, **query):
    response = client.get("/assets/inventory", query_string=query, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_user_sees_the_companys_holdings_with_products_contract_and_code(client, signed, scene):
    body = listing(client, signed("u1", "c1"))
    assert body["total"] == 3
    by_id = {item["id"]: item for item in body["items"]}
    assert by_id[scene["payroll"]] == {
        "id": scene["payroll"], "company": {"id": "c1", "name": "Acme"},
        "product": {"id": by_id[scene["payroll"]]["product"]["id"], "code": "PAY", "name": "Payroll",
                    "kind": "software", "brand": "Etafi", "domain": "HR", "major_version": 3},
        "quantity": 2, "machine_id": "PC-1", "on_contract": True, "serializable": True,
        "serialization": {"code": "live.code", "issued_on": "2026-11-20"}}
    assert (by_id[scene["payroll2"]]["on_contract"], by_id[scene["payroll2"]]["serialization"]) == (False, None)
    assert (by_id[scene["scanner"]]["on_contract"], by_id[scene["scanner"]]["serializable"]) == (False, False)
    # By product name, in the caller's language.
    assert [item["product"]["name"] for item in body["items"]] == ["Payroll", "Payroll", "Scanner"]
    french = listing(client, signed("u1", "c1", language="fr"))
    assert [item["product"]["name"] for item in french["items"]] == ["Numériseur", "Paie", "Paie"]


def test_filters_kind_contract_and_machine(client, signed, scene):
    user = signed("u1", "c1")
    assert [i["id"] for i in listing(client, user, kind="hardware")["items"]] == [scene["scanner"]]
    assert {i["id"] for i in listing(client, user, kind="software")["items"]} == {scene["payroll"], scene["payroll2"]}
    assert [i["id"] for i in listing(client, user, contract="on")["items"]] == [scene["payroll"]]
    assert {i["id"] for i in listing(client, user, contract="off")["items"]} == {scene["payroll2"], scene["scanner"]}
    assert {i["id"] for i in listing(client, user, machine_id=" PC-1 ")["items"]} == {scene["payroll"], scene["scanner"]}
    assert listing(client, user, machine_id="PC-9") == {"items": [], "total": 0}
    both = listing(client, user, kind="software", contract="off", machine_id="PC-1")
    assert both == {"items": [], "total": 0}
    paged = listing(client, user, per_page=2, page=2)
    assert paged["total"] == 3 and [i["id"] for i in paged["items"]] == [scene["scanner"]]


def test_a_contract_naming_none_covers_every_holding_and_an_ended_one_none(client, signed, scene, operator):
    zed = listing(client, signed("z1", "c2"))
    assert [(i["id"], i["on_contract"]) for i in zed["items"]] == [(scene["zed"], True)]
    contract = client.get("/operator/contracts?company_id=c2", headers=operator).get_json()["items"][0]
    client.post(f"/operator/contracts/{contract['id']}/end", headers=operator)
    assert listing(client, signed("z1", "c2"))["items"][0]["on_contract"] is False
    assert listing(client, signed("z1", "c2"), contract="on")["total"] == 0


def test_another_companys_holdings_are_never_seen(client, signed, scene):
    assert scene["zed"] not in {i["id"] for i in listing(client, signed("u1", "c1"))["items"]}
    for company in ("c2", "c1-shop", "nowhere"):
        response = client.get(f"/assets/inventory?company={company}", headers=signed("u1", "c1"))
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found", company


def test_a_supervisor_sees_the_associate_and_its_subtree_not_above(client, signed, scene):
    supervisor = signed("boss", "c1", entitlements=frozenset({f"{SUPERVISION}@c1-shop"}))
    everything = listing(client, supervisor)
    assert {i["id"] for i in everything["items"]} == {scene[k] for k in ("payroll", "scanner", "payroll2", "shop",
                                                                         "kiosk")}
    shop = listing(client, supervisor, company="c1-shop")
    assert [(i["id"], i["company"]) for i in shop["items"]] == [(scene["shop"], {"id": "c1-shop", "name": "Acme shop"})]
    assert [i["id"] for i in listing(client, supervisor, company="c1-kiosk")["items"]] == [scene["kiosk"]]
    assert client.get("/assets/inventory?company=c2", headers=supervisor).status_code == 404
    # The shop's own users see their shop's, nothing of the company above.
    shop_user = signed("s1", "c1-shop")
    assert [i["id"] for i in listing(client, shop_user)["items"]] == [scene["shop"]]
    assert client.get("/assets/inventory?company=c1", headers=shop_user).status_code == 404


@pytest.mark.parametrize("query, fields", [
    ("kind=service", {"kind"}), ("contract=yes", {"contract"}), ("machine_id=", {"machine_id"}),
    ("machine_id=" + "x" * 65, {"machine_id"}), ("machine_id=PC%07", {"machine_id"}),
    ("per_page=201&page=0", {"per_page", "page"}), ("company=" + "c" * 65, {"company"}),
])
def test_bad_filters_answer_400_in_the_error_shape(client, signed, scene, query, fields):
    response = client.get("/assets/inventory?" + query, headers=signed("u1", "c1"))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_input" and set(error["fields"]) == fields


def test_only_a_company_user_signed_in(client, signed, operator, scene):
    assert client.get("/assets/inventory", headers=signed(None)).status_code == 401
    assert client.get("/assets/inventory").status_code == 401
    refused = client.get("/assets/inventory", headers=operator)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "not_a_company_user"
    renewing = client.get("/assets/inventory", headers=signed("u1", "c1", scope="password_change"))
    assert renewing.status_code == 403

"""/operator/holdings: operators record what each company holds, list, change and remove it; each
is told with HoldingRecorded / HoldingRemoved."""
from datetime import date

import pytest

from assets.models import Holding, SerializationCode


@pytest.fixture
def company(handle):
    handle("CompanyRegistered", {"company_id": "c1", "number": "C-1", "name": "Acme"})
    handle("CompanyRegistered", {"company_id": "c2", "number": "C-2", "name": "Zed"})
    return "c1"


@pytest.fixture
def product(client, operator):
    return client.post("/operator/products", json={"code": "PAY", "name_en": "Payroll", "name_fr": "Paie",
                                                   "kind": "software", "serializable": True},
                       headers=operator).get_json()


def record(client, headers, **body):
    return client.post("/operator/holdings", json=body, headers=headers)


def holding_events(events):
    return [event for event in events() if event[0] != "ProductRecorded"]


def test_a_recorded_holding_is_answered_and_told(client, operator, company, product, events):
    response = record(client, operator, company_id=company, product_id=product["id"], quantity=3,
                      machine_id="PC-042")
    assert response.status_code == 201
    body = response.get_json()
    assert (body["company_id"], body["product_id"], body["quantity"], body["machine_id"], body["removed_at"]) == (
        company, product["id"], 3, "PC-042", None)
    assert body["product"] == {"id": product["id"], "code": "PAY", "name_en": "Payroll", "name_fr": "Paie",
                               "kind": "software"}
    assert holding_events(events) == [("HoldingRecorded", {
        "holding_id": body["id"], "company_id": company, "product_id": product["id"], "product_code": "PAY",
        "quantity": 3, "machine_id": "PC-042", "operator_id": "op", "created": True})]
    assert client.get(f"/operator/holdings/{body['id']}", headers=operator).get_json() == body
    without = record(client, operator, company_id=company, product_id=product["id"], quantity=1).get_json()
    assert without["machine_id"] is None


@pytest.mark.parametrize("body, fields", [
    ({"company_id": "nowhere", "product_id": "PRODUCT", "quantity": 1}, {"company_id"}),
    ({"company_id": "c1", "product_id": "nope", "quantity": 1}, {"product_id"}),
    ({"company_id": "c1", "product_id": "PRODUCT", "quantity": 0}, {"quantity"}),
    ({"company_id": "c1", "product_id": "PRODUCT", "quantity": "2"}, {"quantity"}),
    ({"company_id": "c1", "product_id": "PRODUCT", "quantity": 1, "machine_id": ""}, {"machine_id"}),
    ({"company_id": "c1", "product_id": "PRODUCT", "quantity": 1, "machine_id": "   "}, {"machine_id"}),
    ({"company_id": "c1", "product_id": "PRODUCT", "quantity": 1, "machine_id": "x" * 65}, {"machine_id"}),
    ({"company_id": "c1", "product_id": "PRODUCT", "quantity": 1, "machine_id": "PC\u0007"}, {"machine_id"}),
    ({"company_id": "c1", "product_id": "PRODUCT", "quantity": 1, "machine_id": "PC\u2028x"}, {"machine_id"}),
    ({"company_id": "c1", "product_id": "PRODUCT", "quantity": 1, "machine_id": 42}, {"machine_id"}),
    ({"company_id": "c1", "product_id": "PRODUCT", "quantity": 1, "machine_id": " PC-1"}, {"machine_id"}),
    ({"company_id": "c1", "product_id": "PRODUCT", "quantity": 1, "machine_id": "Poste-é"}, {"machine_id"}),
    ({"product_id": "PRODUCT", "owner": "me"}, {"company_id", "quantity", "owner"}),
])
def test_bad_input_is_refused_field_by_field(client, operator, company, product, body, fields, events):
    body = {key: product["id"] if value == "PRODUCT" else value for key, value in body.items()}
    response = record(client, operator, **body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_input" and set(error["fields"]) == fields
    assert holding_events(events) == []


def test_a_retired_product_takes_no_new_holding(client, operator, company, product):
    client.post(f"/operator/products/{product['id']}/retire", headers=operator)
    response = record(client, operator, company_id=company, product_id=product["id"], quantity=1)
    assert response.status_code == 400 and "product_id" in response.get_json()["error"]["fields"]


def test_a_change_is_told(client, operator, company, product, events):
    holding = record(client, operator, company_id=company, product_id=product["id"], quantity=1).get_json()
    response = client.patch(f"/operator/holdings/{holding['id']}", json={"quantity": 5, "machine_id": "SRV-1"},
                            headers=operator)
    assert response.status_code == 200
    assert (response.get_json()["quantity"], response.get_json()["machine_id"]) == (5, "SRV-1")
    assert holding_events(events)[-1][1] == {
        "holding_id": holding["id"], "company_id": company, "product_id": product["id"], "product_code": "PAY",
        "quantity": 5, "machine_id": "SRV-1", "operator_id": "op", "created": False}
    cleared = client.patch(f"/operator/holdings/{holding['id']}", json={"machine_id": None}, headers=operator)
    assert cleared.get_json()["machine_id"] is None
    bad = client.patch(f"/operator/holdings/{holding['id']}", json={"quantity": -1, "company_id": "c2"},
                       headers=operator)
    assert bad.status_code == 400 and set(bad.get_json()["error"]["fields"]) == {"quantity", "company_id"}
    assert client.patch("/operator/holdings/nope", json={"quantity": 2}, headers=operator).status_code == 404


def test_a_serialized_holding_keeps_its_identifier(client, operator, company, product, database):
    holding = record(client, operator, company_id=company, product_id=product["id"], quantity=1,
                     machine_id="PC-1").get_json()
    with database.transaction() as session:
        session.add(SerializationCode(holding_id=holding["id"], company_id=company, product_id=product["id"],
                                      machine_id="PC-1", key_id="k1", code="x.y", issued_on=date(2026, 11, 23)))
    response = client.patch(f"/operator/holdings/{holding['id']}", json={"machine_id": "PC-2"}, headers=operator)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "identifier_set"
    assert client.patch(f"/operator/holdings/{holding['id']}", json={"quantity": 2, "machine_id": "PC-1"},
                        headers=operator).status_code == 200


def test_a_removed_holding_is_told_kept_and_listed_on_demand(client, operator, company, product, events, database):
    holding = record(client, operator, company_id=company, product_id=product["id"], quantity=1).get_json()
    response = client.delete(f"/operator/holdings/{holding['id']}", headers=operator)
    assert response.status_code == 204
    assert holding_events(events)[-1] == ("HoldingRemoved", {"holding_id": holding["id"], "company_id": company,
                                                             "product_id": product["id"], "product_code": "PAY",
                                                             "operator_id": "op"})
    again = client.delete(f"/operator/holdings/{holding['id']}", headers=operator)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "holding_removed"
    assert client.patch(f"/operator/holdings/{holding['id']}", json={"quantity": 2},
                        headers=operator).status_code == 409
    assert client.get(f"/operator/holdings/{holding['id']}", headers=operator).get_json()["removed_at"]
    assert client.get("/operator/holdings", headers=operator).get_json()["total"] == 0
    assert client.get("/operator/holdings?removed=true", headers=operator).get_json()["total"] == 1
    with database.sessions() as session:
        assert session.get(Holding, holding["id"]) is not None
    assert client.delete("/operator/holdings/nope", headers=operator).status_code == 404


def test_operators_list_a_companys_holdings(client, operator, company, product):
    first = record(client, operator, company_id=company, product_id=product["id"], quantity=1).get_json()
    record(client, operator, company_id="c2", product_id=product["id"], quantity=2)
    listed = client.get("/operator/holdings?company_id=c1", headers=operator).get_json()
    assert listed == {"items": [first], "total": 1}
    assert client.get(f"/operator/holdings?product_id={product['id']}", headers=operator).get_json()["total"] == 2
    bad = client.get("/operator/holdings?per_page=0&removed=perhaps", headers=operator)
    assert bad.status_code == 400 and set(bad.get_json()["error"]["fields"]) == {"per_page", "removed"}


def test_only_operators(client, signed, company, product, operator):
    holding = record(client, operator, company_id=company, product_id=product["id"], quantity=1).get_json()
    body = {"company_id": company, "product_id": product["id"], "quantity": 1}
    for headers in (signed("u1", "c1"),
                    signed("boss", "c1", entitlements=frozenset({"user-management-administration@c1"}))):
        assert record(client, headers, **body).status_code == 403
        assert client.get("/operator/holdings?company_id=c1", headers=headers).status_code == 403
        assert client.get(f"/operator/holdings/{holding['id']}", headers=headers).status_code == 403
        assert client.patch(f"/operator/holdings/{holding['id']}", json={}, headers=headers).status_code == 403
        assert client.delete(f"/operator/holdings/{holding['id']}", headers=headers).status_code == 403
    assert record(client, signed(None), **body).status_code == 401

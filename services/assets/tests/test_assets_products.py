"""/operator/products: operators record, list, change and retire the vendor's products; each is
told with ProductRecorded."""
import pytest

PRODUCT = {"code": "PAY-1", "name_en": "Payroll", "name_fr": "Paie", "kind": "software", "brand": "Etafi",
           "domain": "HR", "serializable": True, "major_version": 7}


@pytest.fixture
def product(client, operator):
    return client.post("/operator/products", json=PRODUCT, headers=operator).get_json()


def test_a_recorded_product_is_answered_and_told(client, operator, events):
    response = client.post("/operator/products", json=PRODUCT, headers=operator)
    assert response.status_code == 201
    body = response.get_json()
    assert {key: body[key] for key in PRODUCT} == PRODUCT
    assert body["id"] and body["retired_at"] is None
    assert events() == [("ProductRecorded", {"product_id": body["id"], **PRODUCT, "retired": False})]
    assert client.get(f"/operator/products/{body['id']}", headers=operator).get_json() == body


def test_only_code_names_and_kind_are_needed(client, operator):
    body = client.post("/operator/products", json={"code": "BOX", "name_en": "Box", "name_fr": "Boîte",
                                                   "kind": "hardware"}, headers=operator).get_json()
    assert (body["brand"], body["domain"], body["serializable"], body["major_version"]) == ("", "", False, None)


def test_a_code_is_taken_once(client, operator, product, events):
    response = client.post("/operator/products", json={**PRODUCT, "name_en": "Other"}, headers=operator)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "product_exists"
    assert len(events()) == 1


@pytest.mark.parametrize("body, fields", [
    ({**PRODUCT, "kind": "service"}, {"kind"}),
    ({**PRODUCT, "code": ""}, {"code"}),
    ({**PRODUCT, "name_en": "two\nlines"}, {"name_en"}),
    ({**PRODUCT, "major_version": -1, "serializable": "maybe"}, {"major_version", "serializable"}),
    ({**PRODUCT, "major_version": "7"}, {"major_version"}),
    ({"code": "X", "extra": 1}, {"name_en", "name_fr", "kind", "extra"}),
])
def test_bad_input_is_refused_field_by_field(client, operator, body, fields):
    response = client.post("/operator/products", json=body, headers=operator)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_input" and set(error["fields"]) == fields


def test_a_change_is_told_and_the_code_stays(client, operator, product, events):
    response = client.patch(f"/operator/products/{product['id']}", json={"major_version": 8, "name_fr": "Paye"},
                            headers=operator)
    assert response.status_code == 200
    assert (response.get_json()["major_version"], response.get_json()["name_fr"]) == (8, "Paye")
    assert events()[-1][1]["major_version"] == 8
    unchanged = client.patch(f"/operator/products/{product['id']}", json={"major_version": 8}, headers=operator)
    assert unchanged.status_code == 200 and len(events()) == 2  # nothing changed, nothing told
    refused = client.patch(f"/operator/products/{product['id']}", json={"code": "NEW"}, headers=operator)
    assert refused.status_code == 400 and set(refused.get_json()["error"]["fields"]) == {"code"}
    assert client.patch("/operator/products/nope", json={"brand": "x"}, headers=operator).status_code == 404


def test_a_retired_product_is_told_listed_on_demand_and_frozen(client, operator, product, events):
    response = client.post(f"/operator/products/{product['id']}/retire", headers=operator)
    assert response.status_code == 200 and response.get_json()["retired_at"]
    assert events()[-1][1]["retired"] is True
    again = client.post(f"/operator/products/{product['id']}/retire", headers=operator)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "product_retired"
    assert client.patch(f"/operator/products/{product['id']}", json={"brand": "x"},
                        headers=operator).status_code == 409
    assert client.get("/operator/products", headers=operator).get_json() == {"items": [], "total": 0}
    assert client.get("/operator/products?retired=true", headers=operator).get_json()["total"] == 1


def test_operators_list_products_by_code_with_words_and_kind(client, operator):
    for code, name, kind in (("B-2", "Scanner", "hardware"), ("A-1", "Payroll Pro", "software"),
                             ("C-3", "Payroll Lite", "software")):
        client.post("/operator/products", json={"code": code, "name_en": name, "name_fr": name, "kind": kind},
                    headers=operator)
    listed = client.get("/operator/products?per_page=2", headers=operator).get_json()
    assert listed["total"] == 3 and [p["code"] for p in listed["items"]] == ["A-1", "B-2"]
    found = client.get("/operator/products?q=payroll+lite", headers=operator).get_json()
    assert [p["code"] for p in found["items"]] == ["C-3"]
    assert client.get("/operator/products?kind=hardware", headers=operator).get_json()["total"] == 1
    bad = client.get("/operator/products?kind=service&per_page=500", headers=operator)
    assert bad.status_code == 400 and set(bad.get_json()["error"]["fields"]) == {"kind", "per_page"}


def test_only_operators(client, signed, product):
    for headers in (signed("u1", "c1"),
                    signed("boss", "c1", entitlements=frozenset({"user-management-administration@c1"}))):
        assert client.post("/operator/products", json=PRODUCT, headers=headers).status_code == 403
        assert client.get("/operator/products", headers=headers).status_code == 403
        assert client.get(f"/operator/products/{product['id']}", headers=headers).status_code == 403
        assert client.patch(f"/operator/products/{product['id']}", json={}, headers=headers).status_code == 403
        assert client.post(f"/operator/products/{product['id']}/retire", headers=headers).status_code == 403
    assert client.post("/operator/products", json=PRODUCT, headers=signed(None)).status_code == 401
    assert client.post("/operator/products", json=PRODUCT).status_code == 401

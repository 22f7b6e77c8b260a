"""/catalog/settings/services/<id>: each company's choice of automatic services and validation."""
import pytest

COMPANY, OTHER = "company-a", "company-b"
INVOICES, STORE, COMMUNITY = "invoice-viewing-service", "store-distributor-service", "community-area"


@pytest.fixture
def company(seeded, activate):
    activate("boss", company_administrator=True)
    activate("other-boss", company_id=OTHER, company_administrator=True)


def put(client, headers, service_id, **body):
    return client.put(f"/catalog/settings/services/{service_id}", json=body, headers=headers)


def codes_held(client, signed, user_id, company_id=COMPANY):
    items = client.get("/catalog/subscriptions?per_page=200", headers=signed(user_id, company_id)).get_json()["items"]
    return {item["service_code"]: item["status"] for item in items}


def test_a_company_makes_a_service_automatic_for_its_new_users_only(client, company, administrator, service_id,
                                                                   activate, signed):
    response = put(client, administrator("boss"), service_id(INVOICES), auto_subscribe=True, needs_validation=False)
    assert response.status_code == 200
    assert response.get_json() == {"service_id": service_id(INVOICES), "company_id": COMPANY,
                                   "auto_subscribe": True, "needs_validation": False, "customised": True}
    put(client, administrator("boss"), service_id(COMMUNITY), auto_subscribe=False, needs_validation=False)
    activate("newcomer")
    activate("their-newcomer", company_id=OTHER)
    mine = codes_held(client, signed, "newcomer")
    assert mine.get(INVOICES) == "accepted" and COMMUNITY not in mine
    theirs = codes_held(client, signed, "their-newcomer", OTHER)
    assert INVOICES not in theirs and theirs.get(COMMUNITY) == "accepted"


def test_a_company_requires_validation_for_a_service(client, company, administrator, service_id, activate, signed,
                                                    events, member):
    member("u2")
    put(client, administrator("boss"), service_id(INVOICES), auto_subscribe=False, needs_validation=True)
    put(client, administrator("boss"), service_id(STORE), auto_subscribe=False, needs_validation=False)
    activate("u1")
    response = client.post("/catalog/subscriptions", json={"service_id": service_id(INVOICES)}, headers=signed("u1"))
    assert response.get_json()["status"] == "pending"
    assert events("SubscriptionRequested")[-1]["administrators"][0]["user_id"] == "boss"
    response = client.post("/catalog/subscriptions", json={"service_id": service_id(STORE)}, headers=signed("u1"))
    assert response.get_json()["status"] == "accepted"
    listed = client.get("/catalog/company-catalog?family=Administrative&title=invoice",
                        headers=administrator("boss")).get_json()["items"]
    assert (listed[0]["needs_validation"], listed[0]["customised"]) == (True, True)
    offered = client.get("/catalog/services?q=invoice", headers=signed("u2")).get_json()["items"]
    assert offered[0]["needs_validation"] is True


def test_resetting_brings_back_the_services_defaults(client, company, administrator, service_id):
    put(client, administrator("boss"), service_id(INVOICES), auto_subscribe=True, needs_validation=True)
    response = client.delete(f"/catalog/settings/services/{service_id(INVOICES)}", headers=administrator("boss"))
    assert response.status_code == 204
    listed = client.get("/catalog/company-catalog?title=invoice", headers=administrator("boss")).get_json()["items"]
    assert (listed[0]["auto_subscribe"], listed[0]["needs_validation"], listed[0]["customised"]) == (False, False, False)
    response = client.delete(f"/catalog/settings/services/{service_id(INVOICES)}", headers=administrator("boss"))
    assert response.status_code == 404


def test_services_making_administrators_always_need_validation(client, company, administrator, service_id):
    for body in ({"auto_subscribe": False, "needs_validation": False},
                 {"auto_subscribe": True, "needs_validation": True}):
        response = put(client, administrator("boss"), service_id("user-management-administration"), **body)
        assert response.status_code == 409 and response.get_json()["error"]["code"] == "setting_locked"
    response = put(client, administrator("boss"), service_id("user-management-administration"),
                   auto_subscribe=False, needs_validation=True)
    assert response.status_code == 200


def test_only_the_companys_administrators_choose(client, company, administrator, signed, service_id):
    response = put(client, signed("u1"), service_id(INVOICES), auto_subscribe=True, needs_validation=False)
    assert response.status_code == 403
    response = put(client, administrator("other-boss", OTHER), service_id(INVOICES), company_id=COMPANY,
                   auto_subscribe=True, needs_validation=False)
    assert response.status_code == 404
    response = put(client, administrator("boss"), "nope", auto_subscribe=True, needs_validation=False)
    assert response.status_code == 404
    response = put(client, administrator("boss"), service_id(INVOICES), auto_subscribe="maybe")
    assert response.status_code == 400
    assert set(response.get_json()["error"]["fields"]) == {"auto_subscribe", "needs_validation"}


def test_a_supervisor_chooses_for_a_supervised_associate(client, company, administrator, service_id):
    response = put(client, administrator("boss", supervises=(OTHER,)), service_id(INVOICES), company_id=OTHER,
                   auto_subscribe=True, needs_validation=False)
    assert response.status_code == 200 and response.get_json()["company_id"] == OTHER

"""/operator/services: operators create, change and retire services; the portal is told."""
import pytest
from sqlalchemy import select

from catalog.models import Service, Subscription

COMPANY = "company-a"
NEW = {"title_en": "Payroll exports", "title_fr": "Exports de paie", "description_en": "Export the payroll.",
       "description_fr": "Exporter la paie.", "family": "Online services", "needs_validation": True,
       "auto_subscribe": False, "min_security_level": 2, "needs_contract": False}


@pytest.fixture
def operator(signed):
    return signed("op", None, operator=True)


def code(response):
    return response.get_json()["error"]["code"]


def test_an_operator_creates_a_service_in_both_languages(client, seeded, operator, events, signed, activate):
    response = client.post("/operator/services", json=NEW, headers=operator)
    assert response.status_code == 201
    body = response.get_json()
    assert body["code"] == "payroll-exports" and body["entitlement_code"] == "payroll-exports"
    assert {key: body[key] for key in NEW} == NEW and body["scope_company_id"] is None
    assert events("ServicePublished") == [{"service_id": body["id"], "code": "payroll-exports",
                                           "family": "Online services", "title_en": "Payroll exports",
                                           "title_fr": "Exports de paie", "scope_company_id": None,
                                           "operator_id": "op", "created": True}]
    activate("u1", language="fr", security_level=2)
    offered = client.get("/catalog/services?q=paie", headers=signed("u1", language="fr")).get_json()["items"]
    assert [(item["title"], item["needs_validation"]) for item in offered] == [("Exports de paie", True)]
    assert client.get(f"/operator/services/{body['id']}", headers=operator).get_json()["title_fr"] == "Exports de paie"


def test_a_service_for_one_company_is_offered_to_it_alone(client, seeded, operator, handle, signed, member):
    handle("CompanyRegistered", {"company_id": COMPANY, "number": "C-1", "name": "Acme"})
    member("u1")
    member("u2", "company-b")
    response = client.post("/operator/services", json={**NEW, "scope_company_id": COMPANY}, headers=operator)
    assert response.status_code == 201
    assert client.get("/catalog/services?q=payroll", headers=signed("u1")).get_json()["total"] == 1
    assert client.get("/catalog/services?q=payroll", headers=signed("u2", "company-b")).get_json()["total"] == 0
    listed = client.get(f"/operator/services?company={COMPANY}", headers=operator).get_json()
    assert [item["code"] for item in listed["items"]] == ["payroll-exports"]


def test_creation_refusals(client, seeded, operator, signed):
    response = client.post("/operator/services", json={**NEW, "title_en": "Web services"}, headers=operator)
    assert response.status_code == 409 and code(response) == "service_exists"
    response = client.post("/operator/services", json={**NEW, "scope_company_id": "nowhere"}, headers=operator)
    assert response.status_code == 400 and "scope_company_id" in response.get_json()["error"]["fields"]
    response = client.post("/operator/services", json={**NEW, "title_en": " - "}, headers=operator)
    assert response.status_code == 400 and "title_en" in response.get_json()["error"]["fields"]
    response = client.post("/operator/services", json={"title_en": "X", "family": "Hobbies",
                                                        "min_security_level": 4, "colour": "red"}, headers=operator)
    assert response.status_code == 400
    assert set(response.get_json()["error"]["fields"]) == {"family", "min_security_level", "colour"}
    response = client.post("/operator/services", json=NEW, headers=signed("u1"))
    assert response.status_code == 403
    response = client.post("/operator/services", json=NEW,
                           headers=signed("boss", entitlements=frozenset({"user-management-administration@company-a"})))
    assert response.status_code == 403


def test_an_edit_is_published_and_keeps_the_code(client, seeded, operator, service_id, events):
    response = client.patch(f"/operator/services/{service_id('web-services')}",
                            json={"title_en": "Online web services", "title_fr": "Services web en ligne"},
                            headers=operator)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["code"], body["title_en"], body["updated_at"] is not None) == ("web-services", "Online web services", True)
    assert events("ServicePublished")[-1]["title_fr"] == "Services web en ligne"
    assert client.patch("/operator/services/nope", json={}, headers=operator).status_code == 404
    response = client.patch(f"/operator/services/{service_id('web-services')}", json={"code": "x"}, headers=operator)
    assert response.status_code == 400 and "code" in response.get_json()["error"]["fields"]


def test_raising_the_level_ends_the_rights_of_holders_below_it(client, seeded, operator, activate, service_id,
                                                              events):
    activate("weak", security_level=1)
    activate("strong", security_level=3)
    client.patch(f"/operator/services/{service_id('community-area')}", json={"min_security_level": 2},
                 headers=operator)
    ended = events("SubscriptionCancelled")
    assert [(e["user_id"], e["service_code"]) for e in ended] == [("weak", "community-area")]


def test_a_newly_needed_contract_ends_the_rights_of_companies_without_one(client, seeded, operator, activate,
                                                                        service_id, events, contract):
    contract(company_id="company-b")
    activate("bare")
    activate("covered", company_id="company-b")
    client.patch(f"/operator/services/{service_id('community-area')}", json={"needs_contract": True},
                 headers=operator)
    assert [(e["user_id"], e["service_code"]) for e in events("SubscriptionExpired")] == [("bare", "community-area")]


def test_retiring_ends_every_subscription_and_withdraws_the_service(client, seeded, operator, activate, signed,
                                                                   service_id, events):
    activate("u1")
    community = service_id("community-area")
    response = client.post(f"/operator/services/{community}/retire", headers=operator)
    assert response.status_code == 200 and response.get_json()["retired_at"]
    assert events("ServiceRetired") == [{"service_id": community, "code": "community-area", "scope_company_id": None,
                                         "operator_id": "op"}]
    assert [e["user_id"] for e in events("SubscriptionCancelled")] == ["u1"]
    with seeded.sessions() as session:
        assert session.scalar(select(Subscription.reason).where(Subscription.service_id == community)) == "service_retired"
    response = client.post("/catalog/subscriptions", json={"service_id": community}, headers=signed("u1"))
    assert response.status_code == 404
    again = client.post(f"/operator/services/{community}/retire", headers=operator)
    assert again.status_code == 409 and code(again) == "service_retired"
    response = client.patch(f"/operator/services/{community}", json={"title_fr": "x"}, headers=operator)
    assert response.status_code == 409
    listed = client.get("/operator/services?per_page=200", headers=operator).get_json()
    assert community not in [item["id"] for item in listed["items"]]
    listed = client.get("/operator/services?per_page=200&retired=true", headers=operator).get_json()
    assert community in [item["id"] for item in listed["items"]]


def test_the_administration_service_cannot_be_retired(client, seeded, operator, service_id):
    response = client.post(f"/operator/services/{service_id('user-management-administration')}/retire",
                           headers=operator)
    assert response.status_code == 409 and code(response) == "service_protected"
    with seeded.sessions() as session:
        assert session.scalar(select(Service.retired_at).where(Service.code == "user-management-administration")) is None

"""GET /catalog/services: the services a caller may still subscribe to, in their language."""
from sqlalchemy import select

from catalog.models import Service, Subscription
from portalkit.db import utcnow

COMPANY = "company-a"  # the fixtures' default company


def codes(response):
    return [item["code"] for item in response.get_json()["items"]]


def test_only_the_gateway_may_call(client, seeded):
    response = client.get("/catalog/services")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "identity_missing"


def test_an_anonymous_visitor_is_refused(client, seeded, signed):
    response = client.get("/catalog/services", headers=signed(None, None))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "not_signed_in"


def test_a_new_user_sees_the_whole_catalog_paged_in_the_manuals_order(client, seeded, signed, contract, member):
    contract()  # every service is offered, but the model of the per-associate supervision services
    member("u1")  # (known after the contract: it grants nothing to them)
    response = client.get("/catalog/services?per_page=5", headers=signed("u1"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 29 and len(body["items"]) == 5
    assert body["items"][0]["family"] == "Administrative"
    assert set(body["items"][0]) == {"id", "code", "entitlement_code", "family", "family_title", "title",
                                     "description", "needs_validation", "auto_subscribe", "customised",
                                     "min_security_level", "needs_contract", "supervised_company_id",
                                     "created_at"}
    last = client.get("/catalog/services?per_page=5&page=6", headers=signed("u1")).get_json()
    assert [item["family"] for item in last["items"]] == ["Support"] * 4


def test_services_needing_a_contract_are_offered_only_under_contract(client, seeded, signed, contract, member):
    member("u1")
    without = codes(client.get("/catalog/services?per_page=200", headers=signed("u1")))
    assert len(without) == 19 and "download-updates" not in without and "saas-administrator" not in without
    contract(company_id="company-b")  # another company's contract changes nothing here
    assert len(codes(client.get("/catalog/services?per_page=200", headers=signed("u1")))) == 19
    contract()
    assert "download-updates" in codes(client.get("/catalog/services?per_page=200", headers=signed("u1")))


def test_texts_follow_the_callers_language(client, seeded, signed, member):
    member("u1")
    query = "/catalog/services?family=Management&q=user"
    english = client.get(query, headers=signed("u1")).get_json()["items"]
    # The generic supervision service is only the model of the per-associate ones.
    assert [item["title"] for item in english] == ["User Management - Administration"]
    french = client.get("/catalog/services?family=Management&q=utilisateurs",
                        headers=signed("u1", language="fr")).get_json()["items"]
    assert french[0]["title"] == "Gestion des utilisateurs - Administration"
    assert french[0]["family_title"] == "Gestion"
    assert french[0]["description"].startswith("L'administrateur peut créer")


def test_search_is_literal(client, seeded, signed, member):
    member("u1")
    response = client.get("/catalog/services?q=%25", headers=signed("u1"))
    assert response.get_json()["total"] == 0


def test_services_held_or_requested_are_left_out(client, seeded, activate, signed, member):
    activate("u1", security_level=3)  # holds the automatic services
    member("u2")
    with seeded.transaction() as session:
        administration = session.scalar(select(Service).where(Service.code == "user-management-administration"))
        session.add(Subscription(service_id=administration.id, user_id="u1", company_id=COMPANY,
                                 scope_company_id=COMPANY, status="pending"))
        invoices = session.scalar(select(Service).where(Service.code == "invoice-viewing-service"))
        session.add(Subscription(service_id=invoices.id, user_id="u1", company_id=COMPANY,
                                 scope_company_id=COMPANY, status="refused"))
    offered = codes(client.get("/catalog/services?per_page=200", headers=signed("u1")))
    assert "community-area" not in offered and "user-management-administration" not in offered
    assert "invoice-viewing-service" in offered  # refused: one may ask again
    assert len(codes(client.get("/catalog/services?per_page=200", headers=signed("u2")))) == 19


def test_retired_services_and_other_companies_services_are_left_out(client, seeded, signed, member):
    member("u1")
    with seeded.transaction() as session:
        session.add(Service(code="acme-news", family="Support", title_en="Acme news", scope_company_id=COMPANY))
        session.add(Service(code="shop-news", family="Support", title_en="Shop news", scope_company_id="other"))
        session.scalar(select(Service).where(Service.code == "web-services")).retired_at = utcnow()
    offered = codes(client.get("/catalog/services?per_page=200", headers=signed("u1")))
    assert "acme-news" in offered
    assert "shop-news" not in offered and "web-services" not in offered


def test_bad_filters_are_refused_field_by_field(client, seeded, signed):
    response = client.get("/catalog/services?family=Hobbies&per_page=500&page=0", headers=signed("u1"))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_input"
    assert set(error["fields"]) == {"family", "per_page", "page"}


def test_the_openapi_document_is_public(client, database):
    response = client.get("/catalog/openapi.json")
    assert response.status_code == 200
    assert {"/catalog/services", "/catalog/company-catalog", "/catalog/subscriptions",
            "/catalog/subscriptions/{subscription_id}", "/catalog/subscriptions/{subscription_id}/renewal",
            "/catalog/requests", "/catalog/requests/{request_id}/accept", "/catalog/requests/{request_id}/refuse",
            "/catalog/settings/services/{service_id}", "/catalog/dashboard", "/catalog/notifications", "/operator/services",
            "/operator/services/{service_id}", "/operator/services/{service_id}/retire"} \
        == set(response.get_json()["paths"])


def test_health_and_readiness(client, database):
    assert client.get("/health").get_json() == {"status": "ok"}
    assert client.get("/ready").get_json() == {"status": "ready"}

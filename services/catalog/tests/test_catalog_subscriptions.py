"""/catalog/subscriptions: one's own subscriptions, subscribing and unsubscribing, and the refusals."""
import pytest

from catalog.models import Service, Subscription

COMPANY = "company-a"  # the fixtures' default company


def subscribe(client, headers, service_id):
    return client.post("/catalog/subscriptions", json={"service_id": service_id}, headers=headers)


def error_code(response):
    return response.get_json()["error"]["code"]


def test_a_service_without_validation_is_accepted_at_once(client, activate, signed, service_id, events):
    activate("u1")
    response = subscribe(client, signed("u1"), service_id("invoice-viewing-service"))
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "accepted" and body["id"]
    accepted = events("SubscriptionAccepted")[-1]
    assert accepted["subscription_id"] == body["id"]
    assert accepted["service_code"] == "invoice-viewing-service"
    assert accepted["company_id"] == accepted["scope_company_id"] == COMPANY


def test_a_service_needing_validation_is_pending_and_administrators_are_told(
        client, activate, signed, service_id, events):
    activate("boss", company_administrator=True, language="fr")
    activate("other-boss", company_id="company-b", company_administrator=True)
    activate("u1")
    response = subscribe(client, signed("u1"), service_id("store-distributor-service"))
    assert response.status_code == 201 and response.get_json()["status"] == "pending"
    [requested] = events("SubscriptionRequested")
    assert requested["user_id"] == "u1" and requested["service_title"] == "Store distributor service"
    assert [(admin["user_id"], admin["language"]) for admin in requested["administrators"]] == [("boss", "fr")]


def test_a_request_without_administrators_still_goes_through(client, activate, signed, service_id, events):
    activate("u1")
    assert subscribe(client, signed("u1"), service_id("store-distributor-service")).status_code == 201
    assert events("SubscriptionRequested")[0]["administrators"] == []


def test_a_too_weak_password_level_is_refused_with_the_level_needed(client, activate, signed, service_id, events,
                                                                    contract):
    contract()
    activate("u1", security_level=1)
    response = subscribe(client, signed("u1"), service_id("saas-administrator"))
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "security_level_too_low"
    assert "level 2 (moderate)" in error["message"] and error["fields"] == {"min_security_level": 2}
    assert events("SubscriptionRequested") == []


def test_subscribing_twice_is_a_conflict(client, activate, signed, service_id):
    activate("u1")
    subscribe(client, signed("u1"), service_id("store-distributor-service"))
    response = subscribe(client, signed("u1"), service_id("store-distributor-service"))
    assert response.status_code == 409 and error_code(response) == "already_subscribed"
    response = subscribe(client, signed("u1"), service_id("community-area"))  # granted at activation
    assert response.status_code == 409 and error_code(response) == "already_subscribed"


def test_unknown_retired_or_other_companies_services_are_not_found(client, activate, signed, seeded):
    activate("u1")
    with seeded.transaction() as session:
        session.add(Service(id="theirs", code="shop-news", family="Support", title_en="Shop news",
                            scope_company_id="company-b"))
    for service_id in ("nope", "theirs"):
        response = subscribe(client, signed("u1"), service_id)
        assert response.status_code == 404 and error_code(response) == "not_found"


def test_the_catalog_must_know_the_caller(client, seeded, signed, service_id):
    response = subscribe(client, signed("stranger"), service_id("invoice-viewing-service"))
    assert response.status_code == 409 and error_code(response) == "member_unknown"
    response = subscribe(client, signed("operator", None, operator=True), service_id("invoice-viewing-service"))
    assert response.status_code == 403 and error_code(response) == "not_a_company_user"


@pytest.mark.parametrize("body, field", [({}, "service_id"), ({"service_id": ""}, "service_id"),
                                         ({"service_id": "x", "owner": "y"}, "owner"),
                                         ({"service_id": "x", "expires_on": "soon"}, "expires_on"),
                                         ({"service_id": 3}, "service_id")])
def test_bad_input_is_refused_field_by_field(client, activate, signed, body, field):
    activate("u1")
    response = client.post("/catalog/subscriptions", json=body, headers=signed("u1"))
    assert response.status_code == 400 and field in response.get_json()["error"]["fields"]


def test_subscribing_needs_a_signed_in_caller(client, seeded, signed):
    assert subscribe(client, {}, "x").status_code == 401
    assert subscribe(client, signed(None, None), "x").status_code == 401
    assert client.delete("/catalog/subscriptions/x", headers=signed(None, None)).status_code == 401
    assert client.get("/catalog/subscriptions", headers=signed(None, None)).status_code == 401


def test_one_lists_ones_own_subscriptions_with_filters(client, activate, signed, service_id):
    activate("u1", language="fr")
    activate("u2")
    subscribe(client, signed("u1"), service_id("store-distributor-service"))
    everything = client.get("/catalog/subscriptions?per_page=200", headers=signed("u1", language="fr")).get_json()
    assert everything["total"] == len(everything["items"]) > 1
    newest = everything["items"][0]
    assert newest["service_code"] == "store-distributor-service"
    assert newest["service_title"] == "Service distributeur de la boutique"
    assert newest["status"] == "pending" and newest["expires_on"] is None and newest["requested_at"]

    pending = client.get("/catalog/subscriptions?status=pending", headers=signed("u1")).get_json()
    assert [item["service_code"] for item in pending["items"]] == ["store-distributor-service"]
    community = client.get("/catalog/subscriptions?family=Community", headers=signed("u1")).get_json()
    assert [item["service_code"] for item in community["items"]] == ["community-area"]
    theirs = client.get("/catalog/subscriptions?status=pending", headers=signed("u2")).get_json()
    assert theirs == {"items": [], "total": 0}
    response = client.get("/catalog/subscriptions?status=lost", headers=signed("u1"))
    assert response.status_code == 400 and "status" in response.get_json()["error"]["fields"]


def test_unsubscribing_cancels_and_offers_the_service_again(client, activate, signed, service_id, events):
    activate("u1")
    created = subscribe(client, signed("u1"), service_id("invoice-viewing-service")).get_json()
    response = client.delete(f"/catalog/subscriptions/{created['id']}", headers=signed("u1"))
    assert response.status_code == 204
    [cancelled] = events("SubscriptionCancelled")
    assert cancelled["subscription_id"] == created["id"] and cancelled["user_id"] == "u1"
    offered = client.get("/catalog/services?q=invoice", headers=signed("u1")).get_json()
    assert [item["code"] for item in offered["items"]] == ["invoice-viewing-service"]
    # Once ended, deleting again changes nothing and tells nobody.
    assert client.delete(f"/catalog/subscriptions/{created['id']}", headers=signed("u1")).status_code == 204
    assert len(events("SubscriptionCancelled")) == 1
    assert subscribe(client, signed("u1"), service_id("invoice-viewing-service")).status_code == 201


def test_another_users_subscription_is_not_found(client, activate, signed, service_id, seeded):
    activate("u1")
    created = subscribe(client, signed("u1"), service_id("invoice-viewing-service")).get_json()
    for caller in (signed("u2"), signed("u1-namesake", "company-b")):
        response = client.delete(f"/catalog/subscriptions/{created['id']}", headers=caller)
        assert response.status_code == 404
    with seeded.sessions() as session:
        assert session.get(Subscription, created["id"]).status == "accepted"

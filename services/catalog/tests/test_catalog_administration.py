"""What company administrators do for their users: subscribe them directly, see their catalog and
subscriptions, cancel, and the company catalog with its counts."""
import pytest

from catalog.models import Subscription

COMPANY, OTHER = "company-a", "company-b"
STORE, INVOICES = "store-distributor-service", "invoice-viewing-service"


@pytest.fixture
def company(seeded, activate):
    """boss administers company-a with users u1 and u2; company-b has its own boss and user."""
    activate("boss", company_administrator=True)
    activate("u1")
    activate("u2")
    activate("other-boss", company_id=OTHER, company_administrator=True)
    activate("stranger", company_id=OTHER)


def subscribe(client, headers, **body):
    return client.post("/catalog/subscriptions", json=body, headers=headers)


def code(response):
    return response.get_json()["error"]["code"]


def test_an_administrator_subscribes_a_user_directly_with_an_expiry_date(client, company, administrator, service_id,
                                                                        events, seeded):
    response = subscribe(client, administrator("boss"), service_id=service_id(STORE), user_id="u1",
                         expires_on="2027-03-01")
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "accepted" and body["expires_on"] == "2027-03-01"  # no validation: they decided
    accepted = events("SubscriptionAccepted")[-1]
    assert (accepted["user_id"], accepted["service_code"], accepted["expires_on"]) == ("u1", STORE, "2027-03-01")
    with seeded.sessions() as session:
        assert session.get(Subscription, body["id"]).decided_by == "boss"
    response = subscribe(client, administrator("boss"), service_id=service_id(STORE), user_id="u1")
    assert response.status_code == 409 and code(response) == "already_subscribed"


def test_a_direct_subscription_answers_the_users_pending_request(client, company, administrator, signed,
                                                                service_id):
    pending = subscribe(client, signed("u1"), service_id=service_id(STORE)).get_json()
    response = subscribe(client, administrator("boss"), service_id=service_id(STORE), user_id="u1")
    assert response.status_code == 201 and response.get_json() == {**pending, "status": "accepted"}
    assert client.get("/catalog/requests", headers=administrator("boss")).get_json()["total"] == 0


def test_an_administrator_of_another_company_cannot_subscribe_its_users(client, company, administrator,
                                                                       service_id, seeded):
    for user_id in ("u1", "nobody"):
        response = subscribe(client, administrator("other-boss", OTHER), service_id=service_id(INVOICES),
                             user_id=user_id)
        assert response.status_code == 404 and code(response) == "not_found"
    with seeded.sessions() as session:
        assert session.query(Subscription).filter_by(user_id="u1", status="accepted").count() > 0
        assert session.query(Subscription).filter_by(user_id="u1", decided_by="other-boss").count() == 0


def test_a_plain_user_names_nobody_and_sets_no_date(client, company, signed, service_id):
    response = subscribe(client, signed("u1"), service_id=service_id(INVOICES), user_id="u2")
    assert response.status_code == 404
    response = subscribe(client, signed("u1"), service_id=service_id(INVOICES), expires_on="2027-01-01")
    assert response.status_code == 403 and code(response) == "not_an_administrator"
    response = subscribe(client, signed("u1"), service_id=service_id(INVOICES), user_id="u1")
    assert response.status_code == 201 and response.get_json()["status"] == "accepted"


def test_a_direct_subscription_respects_the_users_level(client, company, administrator, service_id, contract):
    contract()
    response = subscribe(client, administrator("boss"), service_id=service_id("saas-administrator"), user_id="u1")
    assert response.status_code == 403 and code(response) == "security_level_too_low"
    assert "level 2 (moderate)" in response.get_json()["error"]["message"]


def test_an_administrator_sees_and_cancels_a_users_subscriptions(client, company, administrator, signed,
                                                                service_id, events):
    created = subscribe(client, signed("u1"), service_id=service_id(INVOICES)).get_json()
    listed = client.get("/catalog/subscriptions?user_id=u1&q=invoices", headers=administrator("boss")).get_json()
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    response = client.get("/catalog/subscriptions?user_id=u1", headers=administrator("other-boss", OTHER))
    assert response.status_code == 404
    response = client.delete(f"/catalog/subscriptions/{created['id']}", headers=administrator("other-boss", OTHER))
    assert response.status_code == 404
    assert client.delete(f"/catalog/subscriptions/{created['id']}", headers=administrator("boss")).status_code == 204
    cancelled = events("SubscriptionCancelled")[-1]
    assert cancelled["subscription_id"] == created["id"] and cancelled["user_id"] == "u1"
    mine = client.get("/catalog/subscriptions?status=cancelled", headers=signed("u1")).get_json()["items"]
    assert mine[0]["reason"] == "cancelled_by_administrator"


def test_an_administrator_picks_a_user_and_sees_that_users_offer(client, company, administrator, signed,
                                                                 service_id):
    subscribe(client, signed("u1"), service_id=service_id(INVOICES))
    theirs = client.get("/catalog/services?user_id=u1&per_page=200", headers=administrator("boss")).get_json()
    mine = client.get("/catalog/services?per_page=200", headers=administrator("boss")).get_json()
    assert INVOICES not in [item["code"] for item in theirs["items"]]
    assert INVOICES in [item["code"] for item in mine["items"]]
    response = client.get("/catalog/services?user_id=u1", headers=administrator("other-boss", OTHER))
    assert response.status_code == 404
    assert client.get("/catalog/services?user_id=u2", headers=signed("u1")).status_code == 404


def test_the_company_catalog_counts_holders_and_shows_the_picked_users_subscriptions(
        client, company, administrator, signed, service_id):
    subscribe(client, signed("u1"), service_id=service_id(INVOICES))
    pending = subscribe(client, signed("u2"), service_id=service_id(STORE)).get_json()
    subscribe(client, administrator("other-boss", OTHER), service_id=service_id(INVOICES), user_id="stranger")
    response = client.get("/catalog/company-catalog?per_page=200&user_id=u2", headers=administrator("boss"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 19  # no contract (the two Etafi services need none): the services needing one are not offered
    by_code = {item["code"]: item for item in body["items"]}
    assert by_code[INVOICES]["holders"] == 1  # company-b's holder is not counted
    assert by_code["community-area"]["holders"] == 3  # automatic: boss, u1 and u2
    assert by_code[STORE]["holders"] == 0 and by_code[STORE]["needs_validation"] is True
    assert by_code[STORE]["subscription"] == {"id": pending["id"], "status": "pending", "expires_on": None}
    assert by_code[INVOICES]["subscription"] is None
    assert by_code["community-area"]["auto_subscribe"] is True
    assert by_code[INVOICES]["company_id"] == COMPANY


def test_the_company_catalog_filters_and_pages(client, company, administrator):
    def get(query):
        return client.get(f"/catalog/company-catalog?{query}", headers=administrator("boss", language="fr")).get_json()
    assert [item["code"] for item in get("family=Community")["items"]] == ["community-area"]
    assert [item["code"] for item in get("title=factures")["items"]] == [INVOICES]
    assert [item["code"] for item in get("q=copies avoirs")["items"]] == [INVOICES]  # every word
    assert get("q=copies zebra")["total"] == 0
    page = get("per_page=10&page=2")
    assert page["total"] == 19 and len(page["items"]) == 9
    assert all(item["subscription"] is None for item in page["items"])


def test_the_company_catalog_is_for_administrators_of_that_company(client, company, administrator, signed):
    response = client.get("/catalog/company-catalog", headers=signed("u1"))
    assert response.status_code == 403 and code(response) == "not_an_administrator"
    response = client.get(f"/catalog/company-catalog?company={COMPANY}", headers=administrator("other-boss", OTHER))
    assert response.status_code == 404
    response = client.get("/catalog/company-catalog?user_id=u1", headers=administrator("other-boss", OTHER))
    assert response.status_code == 404
    response = client.get(f"/catalog/company-catalog?company={OTHER}&user_id=u1",
                          headers=administrator("boss", supervises=(OTHER,)))
    assert response.status_code == 404  # u1 is not a user of company-b

"""/catalog/requests: the validation queue, accepting and refusing, and every refusal of a decision."""
from datetime import date

import pytest

from catalog.models import Subscription

COMPANY, OTHER = "company-a", "company-b"
STORE = "store-distributor-service"  # needs validation


@pytest.fixture
def requested(client, activate, signed, service_id, handle):
    """u1 of company-a has asked for the store service; boss administers company-a."""
    handle("CompanyRegistered", {"company_id": COMPANY, "number": "C-1", "name": "Acme"})
    activate("boss", company_administrator=True)
    activate("u1", first_name="Lovana", last_name="Dupont")
    response = client.post("/catalog/subscriptions", json={"service_id": service_id(STORE)}, headers=signed("u1"))
    assert response.status_code == 201 and response.get_json()["status"] == "pending"
    return response.get_json()["id"]


def code(response):
    return response.get_json()["error"]["code"]


def test_administrators_see_their_companys_requests(client, requested, administrator):
    response = client.get("/catalog/requests", headers=administrator("boss"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 1
    [item] = body["items"]
    assert item["id"] == requested and item["kind"] == "subscription"
    assert (item["company_id"], item["company_name"]) == (COMPANY, "Acme")
    assert item["display_name"] == "Lovana Dupont" and item["user_id"] == "u1"
    assert item["service_title"] == "Store distributor service" and item["requested_at"]


def test_others_see_no_request(client, requested, administrator, signed):
    assert client.get("/catalog/requests", headers=administrator("other-boss", OTHER)).get_json()["total"] == 0
    response = client.get("/catalog/requests", headers=signed("u1"))
    assert response.status_code == 403 and code(response) == "not_an_administrator"
    response = client.get(f"/catalog/requests?company={COMPANY}", headers=administrator("other-boss", OTHER))
    assert response.status_code == 404


def test_accepting_grants_with_an_expiry_date_and_tells_the_requester(client, requested, administrator, events,
                                                                     seeded):
    response = client.post(f"/catalog/requests/{requested}/accept", json={"expires_on": "2027-01-31"},
                           headers=administrator("boss"))
    assert response.status_code == 200
    assert response.get_json()["status"] == "accepted" and response.get_json()["expires_on"] == "2027-01-31"
    [accepted] = [e for e in events("SubscriptionAccepted") if e["subscription_id"] == requested]
    assert accepted["user_id"] == "u1" and accepted["email"] == "u1@example.com"
    assert accepted["expires_on"] == "2027-01-31" and accepted["service_code"] == STORE
    with seeded.sessions() as session:
        assert session.get(Subscription, requested).decided_by == "boss"
    assert client.get("/catalog/requests", headers=administrator("boss")).get_json()["total"] == 0


def test_accepting_without_a_date_grants_for_good(client, requested, administrator):
    response = client.post(f"/catalog/requests/{requested}/accept", json={}, headers=administrator("boss"))
    assert response.status_code == 200 and response.get_json()["expires_on"] is None


def test_refusing_with_a_reason_tells_the_requester(client, requested, administrator, events, signed):
    response = client.post(f"/catalog/requests/{requested}/refuse", json={"reason": "Not for interns"},
                           headers=administrator("boss"))
    assert response.status_code == 200 and response.get_json()["status"] == "refused"
    [refused] = events("SubscriptionRefused")
    assert refused["subscription_id"] == requested and refused["reason"] == "Not for interns"
    mine = client.get("/catalog/subscriptions?status=refused", headers=signed("u1")).get_json()["items"]
    assert [(item["id"], item["reason"]) for item in mine] == [(requested, "Not for interns")]
    assert events("SubscriptionAccepted")[-1]["subscription_id"] != requested


@pytest.mark.parametrize("first, second", [("accept", "accept"), ("accept", "refuse"),
                                           ("refuse", "accept"), ("refuse", "refuse")])
def test_deciding_twice_is_a_conflict(client, requested, administrator, events, first, second):
    assert client.post(f"/catalog/requests/{requested}/{first}", json={}, headers=administrator("boss")).status_code == 200
    told = len(events())
    response = client.post(f"/catalog/requests/{requested}/{second}", json={}, headers=administrator("boss"))
    assert response.status_code == 409 and code(response) == "already_decided"
    assert len(events()) == told


def test_a_cancelled_request_cannot_be_accepted(client, requested, administrator, signed):
    assert client.delete(f"/catalog/subscriptions/{requested}", headers=signed("u1")).status_code == 204
    response = client.post(f"/catalog/requests/{requested}/accept", json={}, headers=administrator("boss"))
    assert response.status_code == 409 and code(response) == "already_decided"


def test_an_administrator_of_another_company_cannot_decide(client, requested, administrator, signed, seeded):
    for headers in (administrator("other-boss", OTHER), signed("u2")):
        for decision in ("accept", "refuse"):
            response = client.post(f"/catalog/requests/{requested}/{decision}", json={}, headers=headers)
            assert response.status_code == 404
    response = client.post("/catalog/requests/nope/accept", json={}, headers=administrator("boss"))
    assert response.status_code == 404
    with seeded.sessions() as session:
        assert session.get(Subscription, requested).status == "pending"


def test_the_expiry_date_must_be_after_today(client, requested, administrator, today):
    for value in (today().isoformat(), "2020-01-01"):
        response = client.post(f"/catalog/requests/{requested}/accept", json={"expires_on": value},
                               headers=administrator("boss"))
        assert response.status_code == 400 and "expires_on" in response.get_json()["error"]["fields"]
    response = client.post(f"/catalog/requests/{requested}/accept", json={"expires_on": "tomorrow"},
                           headers=administrator("boss"))
    assert response.status_code == 400
    response = client.post(f"/catalog/requests/{requested}/refuse", json={"reason": "x" * 501},
                           headers=administrator("boss"))
    assert response.status_code == 400 and "reason" in response.get_json()["error"]["fields"]
    assert date.fromisoformat("2026-11-24") > today()


def test_requests_are_paged_oldest_first(client, requested, activate, signed, service_id, administrator):
    activate("u2")
    client.post("/catalog/subscriptions", json={"service_id": service_id(STORE)}, headers=signed("u2"))
    first = client.get("/catalog/requests?per_page=1", headers=administrator("boss")).get_json()
    second = client.get("/catalog/requests?per_page=1&page=2", headers=administrator("boss")).get_json()
    assert first["total"] == second["total"] == 2
    assert [first["items"][0]["user_id"], second["items"][0]["user_id"]] == ["u1", "u2"]

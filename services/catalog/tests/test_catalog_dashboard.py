"""/catalog/dashboard: the catalog's blocks of the profile page."""
from datetime import timedelta

from catalog.models import Service
from portalkit.db import utcnow

STORE, INVOICES = "store-distributor-service", "invoice-viewing-service"


def test_a_users_blocks(client, seeded, activate, signed, service_id, administrator):
    activate("boss", company_administrator=True)
    activate("u1")
    client.post("/catalog/subscriptions", json={"service_id": service_id(STORE)}, headers=signed("u1"))
    refused = client.post("/catalog/subscriptions", json={"service_id": service_id("user-management-administration")},
                          headers=signed("u1")).get_json()
    client.post(f"/catalog/requests/{refused['id']}/refuse", json={}, headers=administrator("boss"))
    client.post("/catalog/subscriptions", json={"service_id": service_id(INVOICES)}, headers=signed("u1"))
    since = utcnow()
    with seeded.transaction() as session:
        session.add(Service(code="brand-new", family="Support", title_en="Brand new", created_at=since + timedelta(seconds=1)))

    response = client.get("/catalog/dashboard", query_string={"since": since.isoformat()}, headers=signed("u1"))
    assert response.status_code == 200
    blocks = response.get_json()
    assert blocks["subscriptions"] == {"accepted": 12, "pending": 1, "refused": 1}  # 11 automatic + invoices
    assert len(blocks["last_subscribed"]) == 3 and blocks["last_subscribed"][0]["code"] == INVOICES
    assert blocks["services_not_subscribed"] == 20 - 12 - 1  # 20 offered; held and pending left out
    assert blocks["new_services_since"] == 1
    assert blocks["latest_services"][0]["code"] == "brand-new" and len(blocks["latest_services"]) == 3
    assert blocks["services_without_subscriber"] is None and blocks["requests_waiting"] is None
    assert client.get("/catalog/dashboard", headers=signed("u1")).get_json()["new_services_since"] is None


def test_an_administrators_blocks(client, seeded, activate, signed, service_id, administrator):
    activate("boss", company_administrator=True)
    activate("u1")
    client.post("/catalog/subscriptions", json={"service_id": service_id(STORE)}, headers=signed("u1"))
    blocks = client.get("/catalog/dashboard", headers=administrator("boss")).get_json()
    assert blocks["requests_waiting"] == 1
    # 17 offered without a contract; administration and the 11 automatic ones have holders.
    assert blocks["services_without_subscriber"] == 19 - 12


def test_operators_and_bad_dates_are_refused(client, seeded, signed):
    response = client.get("/catalog/dashboard", headers=signed("op", None, operator=True))
    assert response.status_code == 403
    response = client.get("/catalog/dashboard?since=yesterday", headers=signed("u1"))
    assert response.status_code == 400 and "since" in response.get_json()["error"]["fields"]

"""/catalog/notifications: one's "Notification on …" and "Receive …" services with their state,
switched off and on through the subscriptions routes, pending where the company validates them."""
from catalog.models import CompanyServiceSetting

COMPANY = "company-a"  # the fixtures' default company
NEW_FAQ = "notification-on-new-faq-published"
SALES = "receive-sales-news"


def _notifications(client, headers):
    response = client.get("/catalog/notifications", headers=headers)
    assert response.status_code == 200, response.get_json()
    return {item["code"]: item for item in response.get_json()["items"]}


def test_every_notifying_service_is_listed_with_its_state(client, seeded, activate, signed):
    activate("u1")  # the automatic services (every notification and flow here) are granted at activation
    listed = _notifications(client, signed("u1"))
    assert {item["family"] for item in listed.values()} == {"Notifications", "Information flow"}
    assert listed[NEW_FAQ]["subscription"]["status"] == "accepted"
    assert listed[SALES]["subscription"]["status"] == "accepted"
    # Downloads' notification needs a maintenance contract the company does not hold: not offered.
    assert "notification-on-new-updates-for-download" not in listed
    assert "invoice-viewing-service" not in listed  # another family


def test_switched_off_then_on_again(client, seeded, activate, signed):
    activate("u1")
    headers = signed("u1", language="fr")
    row = _notifications(client, headers)[NEW_FAQ]
    assert row["title"] == "Notification de la publication d'une nouvelle FAQ"
    assert client.delete(f"/catalog/subscriptions/{row['subscription']['id']}", headers=headers).status_code == 204
    assert _notifications(client, headers)[NEW_FAQ]["subscription"] is None
    again = client.post("/catalog/subscriptions", json={"service_id": row["id"]}, headers=headers)
    assert again.status_code == 201 and again.get_json()["status"] == "accepted"
    assert _notifications(client, headers)[NEW_FAQ]["subscription"]["id"] == again.get_json()["id"]


def test_a_validated_one_is_shown_pending(client, activate, signed, seeded, service_id):
    activate("u1")
    headers = signed("u1")
    row = _notifications(client, headers)[SALES]
    client.delete(f"/catalog/subscriptions/{row['subscription']['id']}", headers=headers)
    with seeded.transaction() as session:
        session.add(CompanyServiceSetting(company_id=COMPANY, service_id=service_id(SALES),
                                          auto_subscribe=False, needs_validation=True))
    asked = client.post("/catalog/subscriptions", json={"service_id": row["id"]}, headers=headers)
    assert asked.get_json()["status"] == "pending"
    listed = _notifications(client, headers)[SALES]
    assert listed["needs_validation"] is True and listed["subscription"]["status"] == "pending"


def test_only_ones_own_and_only_signed_in(client, seeded, activate, signed):
    activate("u1")
    activate("u2", company_id="company-b")
    mine = _notifications(client, signed("u1"))
    theirs = _notifications(client, signed("u2", company_id="company-b"))
    assert {row["subscription"]["id"] for row in mine.values()}.isdisjoint(
        {row["subscription"]["id"] for row in theirs.values()})
    anonymous = client.get("/catalog/notifications", headers=signed(None, company_id=None))
    assert anonymous.status_code == 401 and anonymous.get_json()["error"]["code"] == "not_signed_in"
    operator = client.get("/catalog/notifications", headers=signed("op", company_id=None, operator=True))
    assert operator.status_code == 403 and operator.get_json()["error"]["code"] == "not_a_company_user"
    unknown = client.get("/catalog/notifications", headers=signed("ghost"))
    assert unknown.status_code == 409 and unknown.get_json()["error"]["code"] == "member_unknown"


def test_the_route_is_documented_with_its_refusals(client, database):
    document = client.get("/catalog/openapi.json").get_json()
    route = document["paths"]["/catalog/notifications"]["get"]
    assert {"200", "401", "403", "409"} <= set(route["responses"])

"""One rule of what a user may subscribe to: every service the offer lists, the subscribe call
accepts for that user, whoever asks (the user, or an administrator for them)."""
import pytest
from sqlalchemy import select

from catalog.models import Service, Subscription

COMPANY, ASSOCIATE = "company-a", "company-b"


def offered(client, headers, user_id=None):
    query = f"/catalog/services?per_page=200{'&user_id=' + user_id if user_id else ''}"
    response = client.get(query, headers=headers)
    assert response.status_code == 200
    return response.get_json()["items"]


def subscribe_each(client, headers, items, user_id=None):
    """Subscribe to each listed service in turn; the refusals, by service code."""
    refused = {}
    for item in items:
        body = {"service_id": item["id"], **({"user_id": user_id} if user_id else {})}
        response = client.post("/catalog/subscriptions", json=body, headers=headers)
        if response.status_code != 201:
            refused[item["code"]] = (response.status_code, response.get_json()["error"]["code"])
    return refused


@pytest.fixture
def company_tree(handle):
    """The company with an associate below it (a supervision service is offered for it)."""
    handle("CompanyRegistered", {"company_id": COMPANY, "number": "C-1", "name": "Acme"})
    handle("CompanyRegistered", {"company_id": ASSOCIATE, "number": "C-2", "name": "Shop"})
    handle("AssociateLinked", {"company_id": COMPANY, "associate_id": ASSOCIATE, "associate_name": "Shop"})


@pytest.mark.parametrize("level, under_contract", [(1, False), (1, True), (2, True), (3, False)])
def test_every_service_a_user_is_offered_they_may_subscribe_to(client, seeded, company_tree, activate, contract,
                                                               signed, level, under_contract):
    if under_contract:
        contract()
    activate("u1", security_level=level)
    items = offered(client, signed("u1"))
    assert items
    assert subscribe_each(client, signed("u1"), items) == {}
    assert offered(client, signed("u1")) == []  # all held or requested now


@pytest.mark.parametrize("activated", [True, False])
def test_every_service_an_administrator_is_offered_for_a_user_they_may_give_them(
        client, seeded, company_tree, activate, create, contract, administrator, activated):
    contract()
    (activate if activated else create)("u1", security_level=1)
    items = offered(client, administrator("boss"), "u1")
    assert subscribe_each(client, administrator("boss"), items, "u1") == {}
    assert offered(client, administrator("boss"), "u1") == []


def test_a_service_beyond_the_users_level_is_neither_offered_nor_accepted(client, seeded, contract, activate,
                                                                          signed, service_id):
    contract()
    activate("u1", security_level=1)
    codes = {item["code"] for item in offered(client, signed("u1"))}
    assert "saas-administrator" not in codes  # needs level 2
    response = client.post("/catalog/subscriptions", json={"service_id": service_id("saas-administrator")},
                           headers=signed("u1"))
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "security_level_too_low"


def test_what_is_held_refused_or_retired_follows_the_same_rule(client, seeded, activate, signed, service_id):
    activate("u1", security_level=3)
    with seeded.transaction() as session:
        invoices = session.scalar(select(Service).where(Service.code == "invoice-viewing-service"))
        session.add(Subscription(service_id=invoices.id, user_id="u1", company_id=COMPANY,
                                 scope_company_id=COMPANY, status="refused"))
        session.scalar(select(Service).where(Service.code == "web-services")).retired_at = invoices.created_at
    codes = {item["code"] for item in offered(client, signed("u1"))}
    assert "invoice-viewing-service" in codes  # refused: one may ask again, and subscribing takes it
    assert "web-services" not in codes and "community-area" not in codes  # retired; held since activation
    for code, status in (("invoice-viewing-service", 201), ("community-area", 409), ("web-services", 404)):
        response = client.post("/catalog/subscriptions", json={"service_id": service_id(code)}, headers=signed("u1"))
        assert response.status_code == status, code

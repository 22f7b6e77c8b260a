"""Services needing a maintenance contract follow the company's contracts (assets' events)."""
from datetime import date

from sqlalchemy import select

from catalog.models import Contract, Service, Subscription

COMPANY, OTHER = "company-a", "company-b"
UPDATES_NEWS = "notification-on-new-updates-for-download"  # automatic, needs a contract
DOWNLOADS, REQUESTS = "download-updates", "request-service"  # need a contract


def statuses(database, user_id):
    with database.sessions() as session:
        return dict(session.execute(select(Service.code, Subscription.status).join(Subscription)
                                    .where(Subscription.user_id == user_id)).all())


def subscribe(client, signed, service_id, code, user_id="u1"):
    return client.post("/catalog/subscriptions", json={"service_id": service_id(code)}, headers=signed(user_id))


def test_a_service_needing_a_contract_the_company_lacks_is_refused(client, seeded, activate, signed, service_id):
    activate("u1")
    response = subscribe(client, signed, service_id, DOWNLOADS)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_a_new_contract_grants_its_automatic_services_to_the_companys_users(seeded, activate, contract, events):
    activate("u1")
    activate("u2", company_id=OTHER)
    assert UPDATES_NEWS not in statuses(seeded, "u1")
    contract()
    assert statuses(seeded, "u1")[UPDATES_NEWS] == "accepted"
    assert UPDATES_NEWS not in statuses(seeded, "u2")
    assert [e["user_id"] for e in events("SubscriptionAccepted") if e["service_code"] == UPDATES_NEWS] == ["u1"]
    contract()  # a second contract grants nothing twice
    assert len([e for e in events("SubscriptionAccepted") if e["service_code"] == UPDATES_NEWS]) == 1


def test_users_activated_under_contract_get_the_services_needing_one(seeded, activate, contract):
    contract()
    activate("u1")
    assert statuses(seeded, "u1")[UPDATES_NEWS] == "accepted"


def test_a_contract_starting_later_is_not_in_force_yet(client, seeded, activate, contract, signed, service_id, today):
    contract(starts_on=date(2027, 1, 1))
    activate("u1")
    assert subscribe(client, signed, service_id, DOWNLOADS).status_code == 404
    today.set(date(2027, 1, 1))
    assert subscribe(client, signed, service_id, DOWNLOADS).status_code == 201


def test_the_end_of_the_contract_ends_the_subscriptions_needing_one(client, seeded, activate, contract, handle,
                                                                   signed, service_id, events):
    contract_id = contract()
    activate("boss", company_administrator=True)
    activate("u1")
    activate("u2", company_id=OTHER)
    contract(company_id=OTHER)
    assert subscribe(client, signed, service_id, DOWNLOADS).get_json()["status"] == "accepted"
    pending = subscribe(client, signed, service_id, "request-service-administration").get_json()
    assert pending["status"] == "pending"
    handle("ContractEnded", {"contract_id": contract_id, "company_id": COMPANY, "ended_on": "2026-11-23"})

    held = statuses(seeded, "u1")
    assert held[DOWNLOADS] == held[UPDATES_NEWS] == "expired"
    assert held["request-service-administration"] == "cancelled"
    assert held["community-area"] == "accepted"  # needs no contract
    assert statuses(seeded, "u2")[UPDATES_NEWS] == "accepted"  # another company's contract
    assert {e["service_code"] for e in events("SubscriptionExpired") if e["user_id"] == "u1"} == {DOWNLOADS, UPDATES_NEWS}
    assert [e["subscription_id"] for e in events("SubscriptionCancelled")] == [pending["id"]]
    assert subscribe(client, signed, service_id, DOWNLOADS).status_code == 404
    mine = client.get("/catalog/subscriptions?status=expired", headers=signed("u1")).get_json()["items"]
    assert {item["reason"] for item in mine} == {"contract_ended"}


def test_another_contract_in_force_keeps_the_services(seeded, activate, contract, handle):
    first = contract()
    contract()
    activate("u1")
    handle("ContractEnded", {"contract_id": first, "company_id": COMPANY, "ended_on": "2026-11-23"})
    assert statuses(seeded, "u1")[UPDATES_NEWS] == "accepted"


def test_an_end_heard_before_the_activation_keeps_the_contract_ended(seeded, activate, handle):
    activate("u1")
    handle("ContractEnded", {"contract_id": "k1", "company_id": COMPANY, "ended_on": "2026-11-20"})
    handle("ContractActivated", {"contract_id": "k1", "company_id": COMPANY, "starts_on": "2026-01-01"})
    with seeded.sessions() as session:
        assert session.get(Contract, "k1").ended_on == date(2026, 11, 20)
    assert UPDATES_NEWS not in statuses(seeded, "u1")


def test_a_past_planned_end_takes_the_contract_out_of_force(client, seeded, activate, contract, signed, service_id,
                                                            today):
    contract(ends_on=date(2026, 12, 31))
    activate("u1")
    today.set(date(2027, 1, 1))
    assert subscribe(client, signed, service_id, REQUESTS).status_code == 404

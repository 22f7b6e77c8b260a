"""A user just created by an administrator: known to the catalog at once (identity's UserCreated),
subscribed in the same go, their subscriptions in force from their activation."""
from sqlalchemy import select

from catalog.models import Member, Service, Subscription

COMPANY = "company-a"  # the fixtures' default company
ADMINISTRATION = "user-management-administration"
INVOICES = "invoice-viewing-service"


def held(database, user_id):
    """{service code: status} of a user's subscriptions."""
    with database.sessions() as session:
        return dict(session.execute(select(Service.code, Subscription.status)
                                    .join(Subscription, Subscription.service_id == Service.id)
                                    .where(Subscription.user_id == user_id)).all())


def automatic(database, level=1):
    with database.sessions() as session:
        return set(session.scalars(select(Service.code).where(
            Service.auto_subscribe.is_(True), Service.needs_contract.is_(False),
            Service.min_security_level <= level)))


def test_an_administrator_lists_the_offer_of_a_user_just_created_and_subscribes_them(
        client, seeded, create, administrator, service_id, events):
    create("new")
    offer = client.get("/catalog/services?user_id=new&per_page=200", headers=administrator("boss"))
    assert offer.status_code == 200
    assert INVOICES in {item["code"] for item in offer.get_json()["items"]}
    response = client.post("/catalog/subscriptions", json={"service_id": service_id(INVOICES), "user_id": "new"},
                           headers=administrator("boss"))
    assert response.status_code == 201
    body = response.get_json()
    assert (body["status"], body["awaiting_activation"]) == ("accepted", True)
    # Told at once: the gateway's entitlements hold it when the user first signs in.
    accepted = events("SubscriptionAccepted")[-1]
    assert (accepted["subscription_id"], accepted["user_id"]) == (body["id"], "new")
    listed = client.get("/catalog/subscriptions?user_id=new&per_page=200", headers=administrator("boss")).get_json()
    invoices = next(item for item in listed["items"] if item["service_code"] == INVOICES)
    assert (invoices["status"], invoices["awaiting_activation"]) == ("accepted", True)


def test_the_activation_finds_everything_prepared_and_grants_nothing_twice(
        client, seeded, create, activate, administrator, service_id, events):
    create("new")
    assert set(held(seeded, "new")) == automatic(seeded)  # prepared at creation
    client.post("/catalog/subscriptions", json={"service_id": service_id(INVOICES), "user_id": "new"},
                headers=administrator("boss"))
    told = len(events("SubscriptionAccepted"))
    activate("new")
    assert len(events("SubscriptionAccepted")) == told
    assert set(held(seeded, "new")) == automatic(seeded) | {INVOICES}
    listed = client.get("/catalog/subscriptions?per_page=200", headers=administrator("new")).get_json()["items"]
    assert listed and not any(item["awaiting_activation"] for item in listed)


def test_a_first_administrators_right_is_prepared_at_creation(seeded, create, activate, events):
    create("first", company_administrator=True)
    assert held(seeded, "first")[ADMINISTRATION] == "accepted"
    administration = next(e for e in events("SubscriptionAccepted") if e["service_code"] == ADMINISTRATION)
    assert administration["user_id"] == "first" and administration["automatic"]
    told = len(events("SubscriptionAccepted"))
    activate("first", company_administrator=True)
    assert len(events("SubscriptionAccepted")) == told


def test_an_activation_mail_sent_again_prepares_nothing_twice(seeded, create, events):
    create("new")
    told = len(events("SubscriptionAccepted"))
    create("new")  # identity tells UserCreated again with each new activation link
    assert len(events("SubscriptionAccepted")) == told
    with seeded.sessions() as session:
        assert session.get(Member, "new").activated is False


def test_a_created_users_subscription_is_cancelled_with_their_deletion(client, seeded, create, handle, user_data,
                                                                      administrator, service_id, events):
    create("new")
    client.post("/catalog/subscriptions", json={"service_id": service_id(INVOICES), "user_id": "new"},
                headers=administrator("boss"))
    handle("UserDeleted", user_data("new"))
    assert {e["service_code"] for e in events("SubscriptionCancelled")} >= {INVOICES}
    assert set(held(seeded, "new").values()) == {"cancelled"}


def test_a_right_prepared_for_a_user_not_activated_leaves_no_administrator_behind(
        client, seeded, activate, create, administrator, service_id):
    activate("boss", company_administrator=True)
    create("new")
    response = client.post("/catalog/subscriptions", json={"service_id": service_id(ADMINISTRATION), "user_id": "new"},
                           headers=administrator("boss"))
    assert response.status_code == 201 and response.get_json()["awaiting_activation"] is True
    with seeded.sessions() as session:
        own = session.scalar(select(Subscription.id).join(Service, Service.id == Subscription.service_id).where(
            Subscription.user_id == "boss", Service.code == ADMINISTRATION))
    response = client.delete(f"/catalog/subscriptions/{own}", headers=administrator("boss"))
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "last_administrator"
    activate("new")  # now a usable administrator: the first may step down
    assert client.delete(f"/catalog/subscriptions/{own}", headers=administrator("boss")).status_code == 204


def test_only_a_user_identity_never_told_of_is_unknown(client, seeded, signed, administrator, service_id):
    response = client.post("/catalog/subscriptions", json={"service_id": service_id(INVOICES)},
                           headers=signed("stranger"))
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "member_unknown"
    response = client.get("/catalog/services", headers=signed("stranger"))
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "member_unknown"
    # Named by an administrator, a user the catalog does not know is no user of their company.
    response = client.get("/catalog/services?user_id=stranger", headers=administrator("boss"))
    assert response.status_code == 404


def test_a_late_event_about_a_deleted_user_grants_them_nothing(seeded, create, handle, user_data, events):
    create("new")
    handle("UserDeleted", user_data("new"))
    told = len(events("SubscriptionAccepted"))
    handle("UserActivated", user_data("new", company_administrator=False))  # retried, came late
    handle("UserCreated", user_data("new"))
    assert len(events("SubscriptionAccepted")) == told
    with seeded.sessions() as session:
        assert session.get(Member, "new") is None


def test_requests_are_told_to_the_administrators_who_can_sign_in(client, seeded, activate, create, administrator,
                                                                 signed, service_id, events):
    activate("boss", company_administrator=True)
    create("new")
    client.post("/catalog/subscriptions", json={"service_id": service_id(ADMINISTRATION), "user_id": "new"},
                headers=administrator("boss"))
    activate("u1")
    response = client.post("/catalog/subscriptions", json={"service_id": service_id(ADMINISTRATION)},
                           headers=signed("u1"))
    assert response.get_json()["status"] == "pending"
    assert [a["user_id"] for a in events("SubscriptionRequested")[-1]["administrators"]] == ["boss"]

"""Supervision: a service per associate, its entitlement, the subtree it reaches, and the
supervisor's rights over the associate's users and requests."""
import pytest
from sqlalchemy import select

from catalog.models import Company, Service, Subscription
from portalkit.signed_identity import Identity

PARENT, SHOP, KIOSK, STRANGER = "company-a", "shop", "kiosk", "company-z"
SUPERVISION = "user-management-supervision-administration"


@pytest.fixture
def tree(seeded, handle, activate):
    """company-a ─ shop ─ kiosk, and an unrelated company-z; an administrator in each."""
    for company_id, name in ((PARENT, "Acme"), (SHOP, "Acme Shop"), (KIOSK, "Kiosk"), (STRANGER, "Zed")):
        handle("CompanyRegistered", {"company_id": company_id, "number": company_id, "name": name})
    handle("AssociateLinked", {"company_id": PARENT, "associate_id": SHOP, "associate_name": "Acme Shop"})
    handle("AssociateLinked", {"company_id": SHOP, "associate_id": KIOSK, "associate_name": "Kiosk"})
    for company_id in (PARENT, SHOP, STRANGER):
        activate(f"boss-{company_id}", company_id=company_id, company_administrator=True)
    activate("shop-user", company_id=SHOP)


def supervision_of(database, associate_id):
    with database.sessions() as session:
        return session.scalar(select(Service).where(Service.supervised_company_id == associate_id))


def offered_codes(client, headers):
    return [item["code"] for item in client.get("/catalog/services?per_page=200&family=Management",
                                                headers=headers).get_json()["items"]]


def test_linking_an_associate_adds_its_supervision_service(tree, seeded, events):
    service = supervision_of(seeded, SHOP)
    assert service.title_en == "User Management - Supervision Administration of Acme Shop"
    assert service.title_fr == "Gestion des utilisateurs - Administration en supervision de Acme Shop"
    assert service.code == "user-management-supervision-administration-of-acme-shop"
    assert (service.scope_company_id, service.entitlement_code) == (PARENT, SUPERVISION)
    assert service.needs_validation and not service.auto_subscribe and service.family == "Management"
    published = [e for e in events("ServicePublished") if e["service_id"] == service.id]
    assert published and published[0]["code"] == service.code


def test_a_repeated_link_adds_nothing(tree, seeded, handle):
    handle("AssociateLinked", {"company_id": PARENT, "associate_id": SHOP, "associate_name": "Acme Shop"})
    with seeded.sessions() as session:
        assert len(session.scalars(select(Service).where(Service.supervised_company_id == SHOP)).all()) == 1


def test_the_subtree_is_offered_above_and_nothing_elsewhere(client, tree, signed, seeded):
    shop, kiosk = supervision_of(seeded, SHOP).code, supervision_of(seeded, KIOSK).code
    assert {shop, kiosk} <= set(offered_codes(client, signed("boss-company-a", PARENT)))
    shop_offer = offered_codes(client, signed("boss-shop", SHOP))
    assert kiosk in shop_offer and shop not in shop_offer
    stranger = offered_codes(client, signed("boss-company-z", STRANGER))
    assert shop not in stranger and kiosk not in stranger and SUPERVISION not in stranger


def test_a_supervision_grant_names_the_associate_in_the_entitlement(client, tree, signed, administrator, seeded,
                                                                    events):
    service = supervision_of(seeded, KIOSK)
    requested = client.post("/catalog/subscriptions", json={"service_id": service.id},
                            headers=signed("boss-company-a", PARENT)).get_json()
    assert requested["status"] == "pending"
    [request] = events("SubscriptionRequested")
    assert [admin["user_id"] for admin in request["administrators"]] == ["boss-company-a"]
    response = client.post(f"/catalog/requests/{requested['id']}/accept", json={},
                           headers=administrator("boss-company-a", PARENT))
    assert response.status_code == 200
    accepted = events("SubscriptionAccepted")[-1]
    assert (accepted["service_code"], accepted["scope_company_id"], accepted["company_id"]) == (
        SUPERVISION, KIOSK, PARENT)
    # What the gateway makes of it: the holder administers the kiosk, and only it.
    holder = Identity(user_id="boss-company-a", company_id=PARENT,
                      entitlements=frozenset({f"{accepted['service_code']}@{accepted['scope_company_id']}"}))
    assert holder.companies_with(SUPERVISION) == {KIOSK}


def test_a_supervisor_decides_the_associates_requests_and_no_others(client, tree, signed, administrator,
                                                                   service_id, activate):
    activate("zed-user", company_id=STRANGER)
    store = service_id("store-distributor-service")
    ours = client.post("/catalog/subscriptions", json={"service_id": store}, headers=signed("shop-user", SHOP)).get_json()
    theirs = client.post("/catalog/subscriptions", json={"service_id": store},
                         headers=signed("zed-user", STRANGER)).get_json()
    supervisor = administrator("boss-company-a", PARENT, supervises=(SHOP,))
    queue = client.get("/catalog/requests", headers=supervisor).get_json()
    assert [(item["id"], item["company_name"]) for item in queue["items"]] == [(ours["id"], "Acme Shop")]
    assert client.get(f"/catalog/requests?company={SHOP}", headers=supervisor).get_json()["total"] == 1
    # Outside the subtree the supervisor holds (above or beside it): not found.
    assert client.post(f"/catalog/requests/{theirs['id']}/accept", json={}, headers=supervisor).status_code == 404
    assert client.get(f"/catalog/requests?company={STRANGER}", headers=supervisor).status_code == 404
    assert client.get(f"/catalog/requests?company={PARENT}", headers=supervisor).status_code == 200  # own company
    # Below it: the kiosk, an associate of the supervised shop, is in the subtree.
    assert client.get(f"/catalog/requests?company={KIOSK}", headers=supervisor).status_code == 200
    assert client.post(f"/catalog/requests/{ours['id']}/accept", json={}, headers=supervisor).status_code == 200


def test_a_supervisor_subscribes_the_associates_users(client, tree, administrator, service_id):
    supervisor = administrator("boss-company-a", PARENT, supervises=(SHOP,))
    response = client.post("/catalog/subscriptions", json={"service_id": service_id("invoice-viewing-service"),
                                                           "user_id": "shop-user"}, headers=supervisor)
    assert response.status_code == 201
    response = client.post("/catalog/subscriptions", json={"service_id": service_id("invoice-viewing-service"),
                                                           "user_id": "boss-company-z"}, headers=supervisor)
    assert response.status_code == 404


def test_moving_an_associate_ends_the_supervision_held_from_above_the_old_place(client, tree, handle, seeded,
                                                                               administrator, events):
    service = supervision_of(seeded, KIOSK)
    for holder, company_id in (("boss-company-a", PARENT), ("boss-shop", SHOP)):
        response = client.post("/catalog/subscriptions", json={"service_id": service.id, "user_id": holder},
                               headers=administrator(holder, company_id))
        assert response.status_code == 201
    handle("AssociateLinked", {"company_id": STRANGER, "associate_id": KIOSK, "associate_name": "Kiosk"})
    assert supervision_of(seeded, KIOSK).scope_company_id == STRANGER
    with seeded.sessions() as session:
        ended = dict(session.execute(select(Subscription.user_id, Subscription.status)
                                     .where(Subscription.service_id == service.id)).all())
    assert ended == {"boss-company-a": "cancelled", "boss-shop": "cancelled"}
    assert {e["user_id"] for e in events("SubscriptionCancelled")} == {"boss-company-a", "boss-shop"}


def test_two_associates_of_the_same_name_get_two_services(tree, handle, seeded):
    handle("AssociateLinked", {"company_id": PARENT, "associate_id": "shop-2", "associate_name": "Acme Shop"})
    assert supervision_of(seeded, "shop-2").code == "user-management-supervision-administration-of-acme-shop-shop-2"


def test_unlinking_an_associate_withdraws_its_supervision_until_it_is_linked_again(client, tree, handle, seeded,
                                                                                 administrator, signed, events):
    service = supervision_of(seeded, KIOSK)
    response = client.post("/catalog/subscriptions", json={"service_id": service.id, "user_id": "boss-shop"},
                           headers=administrator("boss-shop", SHOP))
    assert response.status_code == 201
    handle("AssociateUnlinked", {"company_id": PARENT, "associate_id": KIOSK})  # not its parent: nothing
    assert supervision_of(seeded, KIOSK).retired_at is None
    handle("AssociateUnlinked", {"company_id": SHOP, "associate_id": KIOSK})
    assert supervision_of(seeded, KIOSK).retired_at is not None
    assert events("ServiceRetired")[-1]["service_id"] == service.id
    assert events("SubscriptionCancelled")[-1]["user_id"] == "boss-shop"
    with seeded.sessions() as session:
        assert session.scalar(select(Company.parent_id).where(Company.id == KIOSK)) is None
    assert service.code not in offered_codes(client, signed("boss-shop", SHOP))
    handle("AssociateLinked", {"company_id": SHOP, "associate_id": KIOSK, "associate_name": "Kiosk"})
    assert supervision_of(seeded, KIOSK).retired_at is None
    assert service.code in offered_codes(client, signed("boss-shop", SHOP))

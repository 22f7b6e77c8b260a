"""A company keeps at least one administrator: no call to the catalog takes away, or dates, the
last accepted "User Management - Administration" of a company (409 ``last_administrator``)."""
import threading

import pytest

from catalog import subscriptions

COMPANY, OTHER = "company-a", "company-b"
ADMINISTRATION = "user-management-administration"
INVOICES = "invoice-viewing-service"


@pytest.fixture
def company(seeded, activate):
    """boss is company-a's only administrator; u1 is a plain user of it."""
    activate("boss", company_administrator=True)
    activate("u1")


@pytest.fixture
def operator(signed):
    return signed("op", None, operator=True)


def administration(client, headers):
    """The caller's accepted administration subscription, or None."""
    items = client.get("/catalog/subscriptions?status=accepted&per_page=200", headers=headers).get_json()["items"]
    rights = [item for item in items if item["service_code"] == ADMINISTRATION]
    return rights[0] if rights else None


def drop(client, subscription, headers):
    return client.delete(f"/catalog/subscriptions/{subscription['id']}", headers=headers)


def refused(response):
    return response.status_code == 409 and response.get_json()["error"]["code"] == "last_administrator"


def make_administrator(client, administrator, service_id, user_id, **body):
    response = client.post("/catalog/subscriptions", headers=administrator("boss"),
                           json={"service_id": service_id(ADMINISTRATION), "user_id": user_id, **body})
    assert response.status_code == 201
    return response.get_json()


def test_the_only_administrator_cannot_drop_their_own_right(client, company, administrator, events):
    right = administration(client, administrator("boss"))
    response = drop(client, right, administrator("boss"))
    assert refused(response)
    assert "give the right to someone else first" in response.get_json()["error"]["message"]
    assert administration(client, administrator("boss")) == right
    assert events("SubscriptionCancelled") == []


def test_of_two_administrators_one_may_drop_the_right_then_the_other_may_not(client, company, administrator,
                                                                           service_id):
    make_administrator(client, administrator, service_id, "u1")
    assert drop(client, administration(client, administrator("boss")), administrator("boss")).status_code == 204
    assert administration(client, administrator("boss")) is None
    right = administration(client, administrator("u1"))
    assert refused(drop(client, right, administrator("u1")))
    assert administration(client, administrator("u1")) == right


def test_another_administrator_cannot_withdraw_the_last_right_either(client, company, administrator, activate,
                                                                   service_id):
    activate("other-boss", company_id=OTHER, company_administrator=True)
    theirs = administration(client, administrator("other-boss", OTHER))
    assert refused(drop(client, theirs, administrator("boss", supervises=(OTHER,))))  # their supervisor
    assert administration(client, administrator("other-boss", OTHER)) == theirs
    # While another one is left, an administrator withdraws a right as before.
    mine = administration(client, administrator("boss"))
    make_administrator(client, administrator, service_id, "u1")
    assert drop(client, mine, administrator("u1")).status_code == 204


def test_an_operator_is_refused_too(client, company, administrator, operator, service_id):
    right = administration(client, administrator("boss"))
    assert drop(client, right, operator).status_code == 404  # users' subscriptions are not theirs
    service = f"/operator/services/{service_id(ADMINISTRATION)}"
    for change in ({"min_security_level": 2}, {"needs_contract": True}):  # boss: level 1, no contract
        assert refused(client.patch(service, json=change, headers=operator))
    unchanged = client.get(service, headers=operator).get_json()
    assert (unchanged["min_security_level"], unchanged["needs_contract"]) == (1, False)
    assert administration(client, administrator("boss")) == right


def test_an_operators_edit_still_ends_rights_where_an_administrator_is_left(client, company, activate,
                                                                          administrator, operator, service_id):
    activate("strong", security_level=3)
    make_administrator(client, administrator, service_id, "strong")
    response = client.patch(f"/operator/services/{service_id(ADMINISTRATION)}", json={"min_security_level": 2},
                            headers=operator)
    assert response.status_code == 200
    assert administration(client, administrator("boss")) is None
    assert administration(client, administrator("strong")) is not None


def test_users_still_drop_their_ordinary_services(client, company, signed, administrator, service_id, events):
    created = client.post("/catalog/subscriptions", json={"service_id": service_id(INVOICES)},
                          headers=signed("u1")).get_json()
    assert drop(client, created, signed("u1")).status_code == 204
    requested = client.post("/catalog/subscriptions", json={"service_id": service_id(ADMINISTRATION)},
                            headers=signed("u1")).get_json()
    assert requested["status"] == "pending"
    assert drop(client, requested, signed("u1")).status_code == 204  # a request is no right
    items = client.get("/catalog/subscriptions?status=accepted", headers=administrator("boss")).get_json()["items"]
    [community] = [item for item in items if item["service_code"] == "community-area"]
    assert drop(client, community, administrator("boss")).status_code == 204  # the last administrator's
    assert [e["subscription_id"] for e in events("SubscriptionCancelled")] == [
        created["id"], requested["id"], community["id"]]


def test_the_last_administration_right_takes_no_expiry_date_on_renewal(client, company, administrator,
                                                                       service_id):
    dated = make_administrator(client, administrator, service_id, "u1", expires_on="2027-01-31")  # boss is left
    assert drop(client, administration(client, administrator("boss")), administrator("boss")).status_code == 204
    # u1 is now the last administrator, until the date set earlier; asked to renew, nobody dates it again.
    client.post(f"/catalog/subscriptions/{dated['id']}/renewal", headers=administrator("u1"))
    response = client.post(f"/catalog/requests/{dated['id']}/accept", json={"expires_on": "2027-06-30"},
                           headers=administrator("u1"))
    assert refused(response)
    assert administration(client, administrator("u1"))["expires_on"] == "2027-01-31"
    response = client.post(f"/catalog/requests/{dated['id']}/accept", json={}, headers=administrator("u1"))
    assert response.status_code == 200 and response.get_json()["expires_on"] is None


def test_a_companys_only_administrator_is_not_granted_with_an_expiry_date(client, seeded, activate, signed,
                                                                         administrator, service_id):
    activate("boss", company_administrator=True)
    activate("stranger", company_id=OTHER)  # company-b has no administrator; boss supervises it
    supervisor = administrator("boss", supervises=(OTHER,))
    requested = client.post("/catalog/subscriptions", json={"service_id": service_id(ADMINISTRATION)},
                            headers=signed("stranger", OTHER)).get_json()
    dated = {"service_id": service_id(ADMINISTRATION), "user_id": "stranger", "expires_on": "2027-01-31"}
    assert refused(client.post(f"/catalog/requests/{requested['id']}/accept", json={"expires_on": "2027-01-31"},
                               headers=supervisor))
    assert refused(client.post("/catalog/subscriptions", json=dated, headers=supervisor))
    response = client.post(f"/catalog/requests/{requested['id']}/accept", json={}, headers=supervisor)
    assert response.status_code == 200 and response.get_json()["expires_on"] is None
    # Where another administrator holds the right, a date is fine.
    activate("u1")
    response = client.post("/catalog/subscriptions", headers=administrator("boss"),
                           json={**dated, "user_id": "u1"})
    assert response.status_code == 201 and response.get_json()["expires_on"] == "2027-01-31"


def test_two_administrators_dropping_their_rights_at_once_keep_one(client, company, administrator, service_id,
                                                                 monkeypatch):
    make_administrator(client, administrator, service_id, "u1")
    rights = {user: administration(client, administrator(user)) for user in ("boss", "u1")}
    holding, go = threading.Event(), threading.Event()
    end = subscriptions.end

    def end_slowly(*args, **kwargs):
        # The first request stops here, its locks taken and its change not yet committed.
        if not holding.is_set():
            holding.set()
            go.wait(10)
        end(*args, **kwargs)
    monkeypatch.setattr(subscriptions, "end", end_slowly)

    answers = {}

    def drop_own(user):
        answers[user] = drop(client, rights[user], administrator(user))
    first = threading.Thread(target=drop_own, args=("boss",))
    first.start()
    assert holding.wait(10)
    second = threading.Thread(target=drop_own, args=("u1",))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the first one's locks
    go.set()
    first.join(10)
    second.join(10)
    assert answers["boss"].status_code == 204 and refused(answers["u1"])
    assert administration(client, administrator("u1")) == rights["u1"]

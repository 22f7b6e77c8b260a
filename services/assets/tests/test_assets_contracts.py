"""/operator/contracts: operators record and end maintenance contracts; the portal is told when one
comes into force and when it stops."""
from datetime import date

import pytest

from assets import contracts
from assets.models import Contract


@pytest.fixture
def company(handle):
    handle("CompanyRegistered", {"company_id": "c1", "number": "C-1", "name": "Acme"})
    return "c1"


def record(client, headers, **body):
    return client.post("/operator/contracts", json=body, headers=headers)


def test_a_contract_in_force_from_today_is_announced_at_once(client, company, operator, events):
    response = record(client, operator, company_id=company, starts_on="2026-11-01", ends_on="2027-10-31")
    assert response.status_code == 201
    body = response.get_json()
    assert (body["status"], body["starts_on"], body["ends_on"], body["ended_on"]) == (
        "active", "2026-11-01", "2027-10-31", None)
    assert events() == [("ContractActivated", {"contract_id": body["id"], "company_id": company,
                                               "starts_on": "2026-11-01", "ends_on": "2027-10-31"})]


def test_ending_a_contract_tells_the_portal_once(client, company, operator, events):
    contract_id = record(client, operator, company_id=company, starts_on="2026-01-01").get_json()["id"]
    response = client.post(f"/operator/contracts/{contract_id}/end", headers=operator)
    assert response.status_code == 200
    assert (response.get_json()["status"], response.get_json()["ended_on"]) == ("ended", "2026-11-23")
    assert events()[-1] == ("ContractEnded", {"contract_id": contract_id, "company_id": company,
                                              "ended_on": "2026-11-23", "operator_id": "op"})
    again = client.post(f"/operator/contracts/{contract_id}/end", headers=operator)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "contract_ended"
    assert len(events()) == 2
    assert client.post("/operator/contracts/nope/end", headers=operator).status_code == 404


def test_a_later_contract_is_announced_on_its_first_day_and_ended_after_its_last(
        client, company, operator, events, database, today):
    contract_id = record(client, operator, company_id=company, starts_on="2027-01-01",
                         ends_on="2027-06-30").get_json()["id"]
    assert events() == []
    with database.transaction() as session:
        assert contracts.run_due(session, date(2026, 12, 31)) == 0
    with database.transaction() as session:
        assert contracts.run_due(session, date(2027, 1, 1)) == 1
    assert [kind for kind, _ in events()] == ["ContractActivated"]
    with database.transaction() as session:
        assert contracts.run_due(session, date(2027, 6, 30)) == 0  # still covered on its last day
    with database.transaction() as session:
        assert contracts.run_due(session, date(2027, 7, 1)) == 1
    assert events()[-1] == ("ContractEnded", {"contract_id": contract_id, "company_id": company,
                                              "ended_on": "2027-07-01"})
    with database.transaction() as session:
        assert contracts.run_due(session, date(2027, 7, 2)) == 0


def test_a_planned_contract_ended_early_is_never_announced(client, company, operator, events, database):
    contract_id = record(client, operator, company_id=company, starts_on="2027-01-01").get_json()["id"]
    client.post(f"/operator/contracts/{contract_id}/end", headers=operator)
    with database.transaction() as session:
        contracts.run_due(session, date(2027, 1, 1))
    assert events() == []


def test_a_contract_recorded_after_its_end_is_announced_and_ended(client, company, operator, events):
    record(client, operator, company_id=company, starts_on="2025-01-01", ends_on="2025-12-31")
    assert [kind for kind, _ in events()] == ["ContractActivated", "ContractEnded"]


def test_refusals(client, company, operator, signed):
    response = record(client, operator, company_id="nowhere", starts_on="2026-01-01")
    assert response.status_code == 400 and "company_id" in response.get_json()["error"]["fields"]
    response = record(client, operator, company_id=company, starts_on="2026-02-01", ends_on="2026-01-01")
    assert response.status_code == 400 and "ends_on" in response.get_json()["error"]["fields"]
    response = record(client, operator, company_id=company, starts_on="soon", extra=1)
    assert response.status_code == 400
    assert set(response.get_json()["error"]["fields"]) == {"starts_on", "extra"}
    for headers in (signed("u1", "c1"), signed("boss", "c1", entitlements=frozenset({"user-management-administration@c1"}))):
        assert record(client, headers, company_id=company, starts_on="2026-01-01").status_code == 403
        assert client.get("/operator/contracts", headers=headers).status_code == 403
        assert client.post("/operator/contracts/any/end", json={}, headers=headers).status_code == 403
    assert record(client, signed(None), company_id=company, starts_on="2026-01-01").status_code == 401


def test_each_operator_decision_is_told_for_the_companys_trail(client, company, operator, events, database):
    contract_id = record(client, operator, company_id=company, starts_on="2026-01-01").get_json()["id"]
    assert events(decisions=True)[0] == ("ContractRecorded", {
        "contract_id": contract_id, "company_id": company, "starts_on": "2026-01-01", "ends_on": None,
        "operator_id": "op"})
    planned = client.post(f"/operator/contracts/{contract_id}/end", json={"ends_on": "2026-12-31"}, headers=operator)
    assert planned.status_code == 200
    assert (planned.get_json()["status"], planned.get_json()["ends_on"]) == ("active", "2026-12-31")
    assert events(decisions=True)[-1] == ("ContractEndScheduled", {
        "contract_id": contract_id, "company_id": company, "ends_on": "2026-12-31", "operator_id": "op"})
    with database.transaction() as session:
        contracts.run_due(session, date(2027, 1, 1))
    # The calendar ended it, not an operator: the fact carries no operator.
    assert events()[-1] == ("ContractEnded", {"contract_id": contract_id, "company_id": company,
                                              "ended_on": "2027-01-01"})


def test_an_end_date_is_today_or_later_and_not_before_the_first_day(client, company, operator, events):
    contract_id = record(client, operator, company_id=company, starts_on="2026-12-15").get_json()["id"]
    for body, field in (({"ends_on": "2026-11-22"}, "ends_on"), ({"ends_on": "2026-12-01"}, "ends_on"),
                        ({"ends_on": "soon"}, "ends_on"), ({"ended": True}, "ended")):
        response = client.post(f"/operator/contracts/{contract_id}/end", json=body, headers=operator)
        assert response.status_code == 400 and field in response.get_json()["error"]["fields"], body
    today = client.post(f"/operator/contracts/{contract_id}/end", json={}, headers=operator)
    assert today.status_code == 200 and today.get_json()["ended_on"] == "2026-11-23"


def test_operators_list_and_read_contracts(client, company, handle, operator):
    handle("CompanyRegistered", {"company_id": "c2", "number": "C-2", "name": "Zed"})
    first = record(client, operator, company_id=company, starts_on="2025-01-01").get_json()
    record(client, operator, company_id="c2", starts_on="2026-01-01")
    listed = client.get("/operator/contracts?company_id=c1", headers=operator).get_json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == first["id"]
    assert client.get("/operator/contracts", headers=operator).get_json()["total"] == 2
    assert client.get(f"/operator/contracts/{first['id']}", headers=operator).get_json() == first
    assert client.get("/operator/contracts/nope", headers=operator).status_code == 404


def test_the_worker_check_runs_at_its_interval_and_survives_a_failure(database, monkeypatch, company):
    calls = []
    monkeypatch.setattr(contracts, "run_due", lambda session, day: calls.append(day))
    check = contracts.contract_check(database, interval=60)
    assert check.run_if_due(1000.0) and not check.run_if_due(1059.0)
    assert calls == [date(2026, 11, 23)]
    monkeypatch.setattr(contracts, "run_due", lambda session, day: 1 / 0)
    assert check.run_if_due(1060.0)  # logged, not raised
    with database.sessions() as session:
        assert session.query(Contract).count() == 0


def _holding(client, operator, company_id, product_id):
    return client.post("/operator/holdings", json={"company_id": company_id, "product_id": product_id,
                                                   "quantity": 1}, headers=operator).get_json()["id"]


def test_a_contract_names_the_holdings_it_covers_of_its_company_only(client, company, handle, operator):
    handle("CompanyRegistered", {"company_id": "c2", "number": "C-2", "name": "Zed"})
    product = client.post("/operator/products", json={"code": "P", "name_en": "P", "name_fr": "P",
                                                      "kind": "software"}, headers=operator).get_json()["id"]
    mine, other_mine, theirs = (_holding(client, operator, c, product) for c in (company, company, "c2"))
    removed = _holding(client, operator, company, product)
    client.delete(f"/operator/holdings/{removed}", headers=operator)
    response = record(client, operator, company_id=company, starts_on="2026-01-01", holding_ids=[mine, mine])
    assert response.status_code == 201 and response.get_json()["holding_ids"] == [mine]
    assert client.get(f"/operator/contracts/{response.get_json()['id']}", headers=operator).get_json()[
        "holding_ids"] == [mine]
    assert record(client, operator, company_id=company, starts_on="2026-01-01").get_json()["holding_ids"] == []
    for wrong in (theirs, removed, "nope", "x" * 40):
        refused = record(client, operator, company_id=company, starts_on="2026-01-01", holding_ids=[other_mine, wrong])
        assert refused.status_code == 400, wrong
        assert set(refused.get_json()["error"]["fields"]) == {"holding_ids"}
    bad = record(client, operator, company_id=company, starts_on="2026-01-01", holding_ids="all")
    assert bad.status_code == 400 and set(bad.get_json()["error"]["fields"]) == {"holding_ids"}
    assert client.get("/operator/contracts?company_id=c1", headers=operator).get_json()["total"] == 2

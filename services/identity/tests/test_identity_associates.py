"""The third-party associates screen's reads: the users of several picked companies
(``?companies=``), each checked against the caller's subtree, and who supervises an associate.

    P ── A1 ── A11
      └─ A2
    S (not linked)
"""
from __future__ import annotations

import pytest

from identity_testkit import SUPERVISION


@pytest.fixture
def tree(portal):
    portal.register("P")
    portal.register("A1", parent="P")
    portal.register("A11", parent="A1")
    portal.register("A2", parent="P")
    portal.register("S")
    return portal.companies


def _numbers(portal, response):
    assert response.status_code == 200, response.json
    ids = {company_id: number for number, company_id in portal.companies.items()}
    return sorted(ids[user["company"]["id"]] for user in response.json["items"])


def test_the_users_of_the_picked_companies_only(portal, tree):
    supervisor = portal.caller("admin@p.test", {"P": SUPERVISION})
    both = portal.client.get("/identity/users", query_string=[("companies", tree["A1"]), ("companies", tree["A2"])],
                             headers=supervisor)
    assert _numbers(portal, both) == ["A1", "A2"]
    one = portal.client.get("/identity/users", query_string={"companies": tree["A11"], "status": "active"},
                            headers=supervisor)
    assert _numbers(portal, one) == ["A11"] and one.json["total"] == 1
    every = portal.client.get("/identity/users", headers=supervisor)
    assert _numbers(portal, every) == ["A1", "A11", "A2", "P"]


def test_a_company_above_or_beside_the_subtree_is_not_found(portal, tree):
    supervisor = portal.caller("admin@a1.test", {"A1": SUPERVISION})
    assert _numbers(portal, portal.client.get("/identity/users", query_string={"companies": tree["A11"]},
                                              headers=supervisor)) == ["A11"]
    for number in ("P", "A2", "S"):
        mixed = portal.client.get("/identity/users", query_string=[("companies", tree["A11"]),
                                                                    ("companies", tree[number])], headers=supervisor)
        assert mixed.status_code == 404 and mixed.json["error"]["code"] == "not_found"
    unknown = portal.client.get("/identity/users", query_string={"companies": "no-such-company"}, headers=supervisor)
    assert unknown.status_code == 404
    plain = portal.caller("admin@a11.test")  # no right at all: the administrators' routes are closed
    refused = portal.client.get("/identity/users", query_string={"companies": tree["A11"]}, headers=plain)
    assert refused.status_code == 403
    bad = portal.client.get("/identity/users", query_string={"companies": "x" * 33}, headers=supervisor)
    assert bad.status_code == 400 and "companies" in bad.json["error"]["fields"]


def test_an_associate_sees_who_supervises_it_and_from_where(portal, tree):
    supervisor = portal.user("admin@p.test").id
    portal.grant(supervisor, tree["A1"], SUPERVISION, subscription_id="sup-a1")
    portal.grant(supervisor, tree["P"], SUPERVISION, subscription_id="sup-p")
    listed = portal.client.get("/identity/administrators", headers=portal.caller("admin@a11.test")).json["items"]
    assert [(item["role"], item["user"]["email"]) for item in listed] == [
        ("administrator", "admin@a11.test"), ("supervisor", "admin@p.test")]
    assert listed[0]["supervises"] is None
    # Supervising both A1 and P, the nearest above A11 names the subtree.
    assert listed[1]["supervises"] == {"id": tree["A1"], "number": "A1", "name": "Company A1"}
    assert listed[1]["user"]["company"]["number"] == "P"
    beside = portal.client.get("/identity/administrators", headers=portal.caller("admin@a2.test")).json["items"]
    assert [item["supervises"]["number"] for item in beside if item["role"] == "supervisor"] == ["P"]
    alone = portal.client.get("/identity/administrators", headers=portal.caller("admin@s.test")).json["items"]
    assert [item["role"] for item in alone] == ["administrator"]


def test_administrators_only(portal, tree):
    supervisor = portal.caller("admin@p.test", {"P": SUPERVISION})
    portal.create_user(supervisor, "clerk@a1.test", company_id=tree["A1"])
    listed = portal.client.get("/identity/users", query_string={"companies": tree["A1"]}, headers=supervisor)
    assert sorted(user["email"] for user in listed.json["items"]) == ["admin@a1.test", "clerk@a1.test"]
    only = portal.client.get("/identity/users", query_string={"companies": tree["A1"], "administrators": "true"},
                             headers=supervisor)
    assert [user["email"] for user in only.json["items"]] == ["admin@a1.test"]

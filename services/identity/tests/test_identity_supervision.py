"""Supervision: the holder of "User Management - Supervision Administration of <associate>"
administers that associate and the whole subtree below it, and nothing above or beside it.

    P ── A1 ── A11
      └─ A2
    S (not linked)
"""
from __future__ import annotations

import io

import pytest

from identity_testkit import ADMINISTRATION, SUPERVISION


@pytest.fixture
def tree(portal):
    portal.register("P")
    portal.register("A1", parent="P")
    portal.register("A2", parent="P")
    portal.register("S")
    portal.register("A11")
    link = portal.client.post(f"/operator/companies/{portal.companies['A1']}/associates",
                              json={"company_id": portal.companies["A11"]}, headers=portal.operator)
    assert link.status_code == 201
    assert portal.events("AssociateLinked")[-1]["associate_id"] == portal.companies["A11"]
    return portal.companies


def _numbers(portal, response):
    ids = {company_id: number for number, company_id in portal.companies.items()}
    return sorted(ids[user["company"]["id"]] for user in response.json["items"])


def test_a_supervisor_of_a1_sees_its_subtree_only(portal, tree):
    supervisor = portal.caller("admin@a1.test", {"A1": SUPERVISION})
    listed = portal.client.get("/identity/users", headers=supervisor)
    assert _numbers(portal, listed) == ["A1", "A11"]
    picker = portal.client.get("/identity/companies", headers=supervisor).json["items"]
    assert sorted(c["company"]["number"] for c in picker) == ["A1", "A11"]
    assert portal.client.get(f"/identity/users?company={tree['A1']}", headers=supervisor).status_code == 200
    for number in ("P", "A2", "S"):
        assert portal.client.get(f"/identity/users?company={tree[number]}", headers=supervisor).status_code == 404
        assert portal.create_user(supervisor, f"x@{number}.test", company_id=tree[number]).status_code == 404
    created = portal.create_user(supervisor, "new@a11.test", company_id=tree["A11"])
    assert created.status_code == 201 and created.json["company"]["number"] == "A11"
    # Without a company picked, one who administers nothing of their own company must pick one.
    elsewhere = portal.caller("admin@a1.test", {"A2": SUPERVISION})
    unpicked = portal.create_user(elsewhere, "new2@a2.test")
    assert unpicked.status_code == 400 and "company_id" in unpicked.json["error"]["fields"]


def test_a_supervisor_searches_the_whole_subtree_in_order_and_by_pages(portal, tree):
    supervisor = portal.caller("admin@a1.test", {"A1": SUPERVISION})
    for number, last_name in (("A1", "Bernard"), ("A11", "Aubert"), ("A11", "Berthier"), ("A1", "Roux")):
        portal.create_user(supervisor, f"{last_name.lower()}@{number.lower()}.test", last_name=last_name,
                           company_id=tree[number])
    portal.create_user(portal.admin_of("A2"), "bertin@a2.test", last_name="Bertin")  # beside: never listed

    def search(**params):
        query = "&".join(f"{key}={value}" for key, value in {"q": "ber", **params}.items())
        answer = portal.client.get(f"/identity/users?{query}", headers=supervisor).json
        return [user["last_name"] for user in answer["items"]], answer["total"]
    assert search() == (["Aubert", "Bernard", "Berthier"], 3)
    assert search(per_page=2, page=2) == (["Berthier"], 3)
    assert search(per_page=2, page=3) == ([], 3)  # past the end: still the total
    assert search(company=tree["A11"]) == (["Aubert", "Berthier"], 2)


def test_a_supervisor_of_p_with_administration_sees_everything_below(portal, tree):
    both = portal.as_caller(user_id=portal.user("admin@p.test").id, company_id=tree["P"],
                            entitlements=frozenset({f"{ADMINISTRATION}@{tree['P']}", f"{SUPERVISION}@{tree['P']}"}))
    assert _numbers(portal, portal.client.get("/identity/users", headers=both)) == ["A1", "A11", "A2", "P"]
    picker = portal.client.get("/identity/companies", headers=both).json["items"]
    assert picker[0] == {"company": picker[0]["company"], "relation": "own"} and picker[0]["company"]["number"] == "P"
    assert portal.client.get(f"/identity/users?company={tree['S']}", headers=both).status_code == 404
    a11_admin = portal.user("admin@a11.test").id
    assert portal.client.get(f"/identity/users/{a11_admin}", headers=both).status_code == 200
    s_admin = portal.user("admin@s.test").id
    assert portal.client.get(f"/identity/users/{s_admin}", headers=both).status_code == 404


def test_an_associate_administrator_cannot_reach_up_or_beside(portal, tree):
    associate = portal.admin_of("A1")
    assert _numbers(portal, portal.client.get("/identity/users", headers=associate)) == ["A1"]
    for number in ("P", "A11", "A2"):
        admin = portal.user(f"admin@{number.lower()}.test").id
        assert portal.client.get(f"/identity/users/{admin}", headers=associate).status_code == 404
    # A supervision of the sibling gives the sibling's subtree, never the parent above it.
    sibling = portal.caller("admin@a1.test", {"A2": SUPERVISION})
    assert _numbers(portal, portal.client.get("/identity/users", headers=sibling)) == ["A2"]


def test_supervised_imports_and_groups_follow_the_same_limits(portal, tree):
    supervisor = portal.caller("admin@p.test", {"P": SUPERVISION})
    csv_file = "MME;Dupont;Lovana;ldupont@a2.test;;;en-US;3\n".encode()
    for number, status in (("A2", 202), ("P", 202), ("S", 404)):
        response = portal.client.post("/identity/imports", data={"file": (io.BytesIO(csv_file), "u.csv"),
                                                                 "dry_run": "true", "company_id": tree[number]},
                                      headers=supervisor, content_type="multipart/form-data")
        assert response.status_code == status, (number, response.json)
    assert portal.client.post("/identity/groups", json={"name": "Shop staff", "company_id": tree["A2"]},
                              headers=supervisor).status_code == 201
    assert portal.client.post("/identity/groups", json={"name": "Elsewhere", "company_id": tree["S"]},
                              headers=supervisor).status_code == 404


def test_administrators_are_listed_to_every_user_with_the_supervisors_above(portal, tree):
    portal.create_user(portal.admin_of("A11"), "plain@a11.test")
    portal.activate("plain@a11.test", "Plain-User-Key-3")
    portal.create_user(portal.admin_of("A1"), "plain@a1.test")
    portal.activate("plain@a1.test", "Plain-User-Key-3")
    # As catalog scopes it: supervision of the associate A1 itself (which covers A11 below it).
    portal.grant(portal.user("admin@p.test").id, tree["A1"], SUPERVISION)
    for plain, administrator in (("plain@a11.test", "admin@a11.test"), ("plain@a1.test", "admin@a1.test")):
        answer = portal.client.get("/identity/administrators", headers=portal.caller(plain)).json
        listed = answer["items"]
        assert answer["total"] == 2 and [(item["role"], item["user"]["email"]) for item in listed] == [
            ("administrator", administrator), ("supervisor", "admin@p.test")]
    assert "password_hash" not in listed[0]["user"] and listed[0]["user"]["company"]["number"] == "A1"
    # Nothing beside: A2's users are not told of A1's supervisor.
    portal.create_user(portal.admin_of("A2"), "plain@a2.test")
    portal.activate("plain@a2.test", "Plain-User-Key-3")
    listed = portal.client.get("/identity/administrators", headers=portal.caller("plain@a2.test")).json["items"]
    assert [item["user"]["email"] for item in listed] == ["admin@a2.test"]

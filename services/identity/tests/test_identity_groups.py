"""User groups: create, rename, delete, members, and the users list filtered by group."""
from __future__ import annotations


def test_groups_live_and_filter_the_list(portal):
    portal.register("C1")
    portal.register("C2")
    admin = portal.admin_of("C1")
    portal.create_user(admin, "bruno@c1.test")
    portal.create_user(admin, "chloe@c1.test")
    created = portal.client.post("/identity/groups", json={"name": " Buyers "}, headers=admin)
    assert created.status_code == 201 and created.json["name"] == "Buyers"
    group = created.json["id"]
    duplicate = portal.client.post("/identity/groups", json={"name": "Buyers"}, headers=admin)
    assert duplicate.status_code == 409 and duplicate.json["error"]["code"] == "group_exists"
    bruno = portal.user("bruno@c1.test").id
    added = portal.client.post(f"/identity/groups/{group}/members", json={"user_ids": [bruno, bruno]}, headers=admin)
    assert added.status_code == 200 and added.json["member_count"] == 1
    listed = portal.client.get(f"/identity/users?group={group}", headers=admin).json
    assert [user["email"] for user in listed["items"]] == ["bruno@c1.test"]
    assert portal.client.get(f"/identity/users/{bruno}", headers=admin).json["groups"] == [{"id": group, "name": "Buyers"}]
    renamed = portal.client.patch(f"/identity/groups/{group}", json={"name": "Purchasing"}, headers=admin)
    assert renamed.status_code == 200 and renamed.json == {"id": group, "company_id": portal.companies["C1"],
                                                           "name": "Purchasing", "member_count": 1}
    assert portal.client.get("/identity/groups", headers=admin).json["total"] == 1
    assert portal.client.delete(f"/identity/groups/{group}/members/{bruno}", headers=admin).status_code == 204
    assert portal.client.delete(f"/identity/groups/{group}/members/{bruno}", headers=admin).status_code == 404
    assert portal.client.delete(f"/identity/groups/{group}", headers=admin).status_code == 204
    assert portal.user("bruno@c1.test") is not None  # members outlive their group
    assert portal.client.get(f"/identity/users?group={group}", headers=admin).status_code == 404
    actions = [e["action"] for e in portal.client.get("/identity/administration-audits", headers=admin).json["items"]]
    assert actions[:5] == ["group_deleted", "group_member_removed", "group_renamed", "group_members_added",
                           "group_created"]


def test_another_companys_group_and_users_stay_out_of_reach(portal):
    portal.register("C1")
    portal.register("C2")
    other = portal.client.post("/identity/groups", json={"name": "Theirs"}, headers=portal.admin_of("C2")).json["id"]
    admin = portal.admin_of("C1")
    for method, path, body in (("patch", f"/identity/groups/{other}", {"name": "Mine"}),
                               ("delete", f"/identity/groups/{other}", None),
                               ("post", f"/identity/groups/{other}/members", {"user_ids": ["x"]}),
                               ("get", f"/identity/users?group={other}", None)):
        assert getattr(portal.client, method)(path, json=body, headers=admin).status_code == 404, path
    mine = portal.client.post("/identity/groups", json={"name": "Theirs"}, headers=admin)
    assert mine.status_code == 201  # names are per company
    stranger = portal.user("admin@c2.test").id
    refused = portal.client.post(f"/identity/groups/{mine.json['id']}/members", json={"user_ids": [stranger]},
                                 headers=admin)
    assert refused.status_code == 404
    assert portal.client.get("/identity/groups", headers=portal.caller("admin@c1.test")).status_code == 403

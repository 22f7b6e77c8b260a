"""The company administrator's users: create, modify, delete, activation mails, list, export;
another company's user is always 404."""
from __future__ import annotations

import csv
import io

from identity.accounts import USER_EXISTS_MESSAGE
from identity_testkit import ADMINISTRATION


def _setup(portal):
    portal.register("C1")
    portal.register("C2")
    return portal.admin_of("C1")


def test_create_mails_an_activation_link_and_refuses_duplicates(portal):
    admin = _setup(portal)
    created = portal.create_user(admin, "Bruno@C1.test", title="M", language="en", function="Buyer",
                                 security_level=3)
    assert created.status_code == 201
    assert created.json["status"] == "not_activated" and created.json["company"]["number"] == "C1"
    event = portal.events("UserCreated")[-1]
    assert event["email"] == "bruno@c1.test" and event["security_level"] == 3 and event["company_name"] == "Company C1"
    again = portal.create_user(admin, "bruno@c1.test")
    assert again.status_code == 409 and again.json["error"] == {
        "code": "user_exists", "message": USER_EXISTS_MESSAGE, "fields": {"email": ["already used"]}}
    elsewhere = portal.create_user(portal.admin_of("C2"), "BRUNO@c1.test")
    assert elsewhere.status_code == 409  # an address is unique across companies
    for bad in ({"email": None}, {"email": "nope"}, {"security_level": 4}, {"language": "de"}, {"title": "DR"}):
        response = portal.client.post("/identity/users", json={"email": "x@c1.test", **bad}, headers=admin)
        assert response.status_code == 400, bad
    assert portal.client.post("/identity/users", json={"last_name": "X"}, headers=admin).status_code == 400
    trail = portal.client.get("/identity/administration-audits", headers=admin).json["items"]
    assert trail[0]["action"] == "user_created" and trail[0]["target_label"] == "bruno@c1.test"


def test_another_companys_user_is_not_found(portal):
    admin = _setup(portal)
    portal.create_user(portal.admin_of("C2"), "eve@c2.test")
    eve = portal.user("eve@c2.test").id
    for method, path, body in (("get", f"/identity/users/{eve}", None),
                               ("patch", f"/identity/users/{eve}", {"first_name": "X"}),
                               ("delete", f"/identity/users/{eve}", None),
                               ("post", f"/identity/users/{eve}/unlock", None),
                               ("post", "/identity/users/activation-mails", {"user_ids": [eve]}),
                               ("get", "/identity/users/not-an-id", None)):
        response = getattr(portal.client, method)(path, json=body, headers=admin)
        assert response.status_code == 404, (method, path)
        assert response.json["error"]["code"] == "not_found"
    assert portal.user("eve@c2.test").first_name == "Bruno"
    assert portal.client.get(f"/identity/users?company={portal.companies['C2']}", headers=admin).status_code == 404


def test_modify_changes_the_profile_and_the_address_only_before_activation(portal):
    admin = _setup(portal)
    portal.create_user(admin, "bruno@c1.test")
    bruno = portal.user("bruno@c1.test").id
    fixed = portal.client.patch(f"/identity/users/{bruno}", json={"email": "bruno.petit@c1.test", "function": "CFO"},
                                headers=admin)
    assert fixed.status_code == 200 and fixed.json["email"] == "bruno.petit@c1.test"
    assert portal.events("UserCreated")[-1]["email"] == "bruno.petit@c1.test"  # a new link, to the right address
    assert portal.client.patch(f"/identity/users/{bruno}", json={"email": "admin@c2.test"},
                               headers=admin).status_code == 409
    portal.activate("bruno.petit@c1.test", "Bruno-Secret-9")
    refused = portal.client.patch(f"/identity/users/{bruno}", json={"email": "other@c1.test"}, headers=admin)
    assert refused.status_code == 400 and "email" in refused.json["error"]["fields"]
    assert portal.events("UserUpdated")[-1]["function"] == "CFO"


def test_delete_mails_the_user_and_ends_their_sessions(portal):
    admin = _setup(portal)
    portal.create_user(admin, "bruno@c1.test", language="en")
    bruno = portal.user("bruno@c1.test").id
    assert portal.client.delete(f"/identity/users/{bruno}", headers=admin).status_code == 204
    [deleted] = portal.events("UserDeleted")
    assert deleted["email"] == "bruno@c1.test" and deleted["language"] == "en"
    assert portal.events("SessionsEnded")[-1] == {"user_id": bruno, "except_session_id": None}
    assert portal.client.get(f"/identity/users/{bruno}", headers=admin).status_code == 404
    assert portal.create_user(admin, "bruno@c1.test").status_code == 201  # the address is free again


def test_activation_mails_go_to_the_not_yet_activated_of_the_selection(portal):
    admin = _setup(portal)
    portal.create_user(admin, "bruno@c1.test")
    portal.create_user(admin, "chloe@c1.test")
    ids = [portal.user(email).id for email in ("bruno@c1.test", "chloe@c1.test", "admin@c1.test")]
    first_link = portal.activation_token("bruno@c1.test")
    answer = portal.client.post("/identity/users/activation-mails", json={"user_ids": ids}, headers=admin)
    assert answer.status_code == 202
    assert answer.json == {"sent": ids[:2], "skipped": [{"user_id": ids[2], "reason": "already_active"}]}
    assert portal.client.get(f"/auth/activation/{first_link}", headers=portal.as_caller()).status_code == 410
    assert portal.client.post("/identity/users/activation-mails", json={"user_ids": []}, headers=admin).status_code == 400


def test_list_searches_filters_and_pages(portal):
    admin = _setup(portal)
    portal.create_user(admin, "bruno@c1.test", first_name="Bruno", last_name="Petit", function="Buyer")
    portal.create_user(admin, "chloe@c1.test", first_name="Chloé", last_name="Lefèvre", function="Accountant")
    portal.create_user(portal.admin_of("C2"), "bruno@c2.test", first_name="Bruno", last_name="Petit")

    def emails(query):
        response = portal.client.get(f"/identity/users?{query}", headers=admin)
        assert response.status_code == 200, response.json
        return [user["email"] for user in response.json["items"]]
    assert emails("q=petit") == ["bruno@c1.test"]
    assert emails("q=BRUNO+pet") == ["bruno@c1.test"]  # every word, in any field
    assert emails("q=chloe%40") == ["chloe@c1.test"]
    assert emails("q=%25") == []  # a LIKE wildcard is searched for, not obeyed
    assert emails("status=active") == ["admin@c1.test"]
    assert emails("status=not_activated") == ["chloe@c1.test", "bruno@c1.test"]  # Lefèvre before Petit
    assert emails("function=Buyer") == ["bruno@c1.test"]
    page = portal.client.get("/identity/users?per_page=2&page=2", headers=admin).json
    assert page["total"] == 3 and len(page["items"]) == 1
    assert portal.client.get("/identity/functions", headers=admin).json["items"] == ["Accountant", "Buyer", "DSI"]
    counts = portal.client.get("/identity/users/counts", headers=admin).json
    assert counts == {"active": 1, "not_activated": 2, "no_email": 0, "new_since_last_sign_in": 0, "groups": 0}


def test_export_escapes_formulas(portal):
    admin = _setup(portal)
    portal.create_user(admin, "eve@c1.test", first_name="=HYPERLINK(\"http://x\")", last_name="@SUM(A1)",
                       office_phone="+33 1 23 45 67 89", mobile_phone="-2+3")
    response = portal.client.get("/identity/users.csv?q=eve", headers=admin)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffCivility;Last name;First name;Email address")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][1:6] == ["'@SUM(A1)", "'=HYPERLINK(\"http://x\")", "eve@c1.test", "'+33 1 23 45 67 89", "'-2+3"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_last_administrator_cannot_be_deleted(portal):
    admin = _setup(portal)
    me = portal.user("admin@c1.test").id
    refused = portal.client.delete(f"/identity/users/{me}", headers=admin)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "last_administrator"
    portal.create_user(admin, "second@c1.test")
    portal.activate("second@c1.test", "Second-Admin-7")
    portal.grant(portal.user("second@c1.test").id, portal.companies["C1"], ADMINISTRATION)
    assert portal.client.delete(f"/identity/users/{me}", headers=admin).status_code == 204
    second = portal.caller("second@c1.test", {"C1": ADMINISTRATION})
    last = portal.client.delete(f"/identity/users/{portal.user('second@c1.test').id}", headers=second)
    assert last.status_code == 409


def test_a_not_yet_activated_designated_administrator_is_kept(portal):
    portal.register("P")
    portal.register("A", parent="P", activate=False)  # its administrator has not activated yet
    supervisor = portal.caller("admin@p.test", {"P": "user-management-supervision-administration"})
    pending = portal.user("admin@a.test").id
    assert portal.client.delete(f"/identity/users/{pending}", headers=supervisor).status_code == 409

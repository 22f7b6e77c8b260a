"""The operators' back office in identity: companies found and paged, a company's tree, unlinking,
its users and trail, the operators themselves; operators only (403 for a company administrator)."""
from __future__ import annotations

import os
from datetime import timedelta

from sqlalchemy import select

from identity.models import AdministrationAudit, User
from portalkit.db import utcnow


def operator_email() -> str:
    # The bootstrap operator conftest's environment sets (importlib mode: conftest is no module to import).
    return os.environ["PORTAL_BOOTSTRAP_OPERATOR_EMAIL"]


def operator_password() -> str:
    return os.environ["PORTAL_BOOTSTRAP_OPERATOR_PASSWORD"]


def _operator(portal) -> dict:
    """Headers of the bootstrapped operator (a real user, so that the trail can name them)."""
    user = portal.user(operator_email())
    return portal.as_caller(user_id=user.id, operator=True, session_id="op-session")


def test_search_by_number_name_postcode_or_city_pages_and_counts(portal):
    operator = _operator(portal)
    for index in range(23):
        body = {"number": f"N{index:03d}", "name": f"Bakery {index:02d}", "postcode": "75001" if index % 2 else "69002",
                "city": "Paris" if index % 2 else "Lyon", "administrator": {"email": f"a{index}@bakery.test"}}
        assert portal.client.post("/operator/companies", json=body, headers=operator).status_code == 201
    first = portal.client.get("/operator/companies?q=bakery&per_page=10", headers=operator).json
    assert first["total"] == 23 and len(first["items"]) == 10
    assert [item["name"] for item in first["items"]][:2] == ["Bakery 00", "Bakery 01"]
    last = portal.client.get("/operator/companies?q=bakery&per_page=10&page=3", headers=operator).json
    assert last["total"] == 23 and [item["name"] for item in last["items"]] == ["Bakery 20", "Bakery 21", "Bakery 22"]
    assert portal.client.get("/operator/companies?q=lyon", headers=operator).json["total"] == 12
    assert portal.client.get("/operator/companies?q=75001 paris", headers=operator).json["total"] == 11
    assert portal.client.get("/operator/companies?q=n007", headers=operator).json["items"][0]["name"] == "Bakery 07"
    assert portal.client.get("/operator/companies?q=50%25", headers=operator).json["total"] == 0  # % is literal
    for bad in ("per_page=0", "per_page=201", "page=0", "page=x", "q=" + "x" * 201):
        response = portal.client.get(f"/operator/companies?{bad}", headers=operator)
        assert response.status_code == 400 and response.json["error"]["code"] == "invalid_input", bad


def test_company_administrators_and_anonymous_callers_are_refused(portal):
    company = portal.register("C1")
    admin = portal.admin_of("C1")
    routes = [("get", "/operator/companies"), ("get", f"/operator/companies/{company}"),
              ("delete", f"/operator/companies/{company}/associates/{company}"),
              ("get", f"/operator/companies/{company}/users"), ("get", f"/operator/companies/{company}/trail"),
              ("post", f"/operator/companies/{company}/users/x/unlock"), ("get", "/operator/operators"),
              ("post", "/operator/operators/x/disable")]
    for method, path in routes:
        response = getattr(portal.client, method)(path, headers=admin)
        assert response.status_code == 403 and response.json["error"]["code"] == "forbidden", path
        assert getattr(portal.client, method)(path, headers=portal.as_caller()).status_code == 401, path
    response = portal.client.post(f"/operator/companies/{company}/users/activation-mails", json={"user_ids": ["x"]},
                                  headers=admin)
    assert response.status_code == 403
    response = portal.client.post("/operator/operators", json={"email": "x@vendor.test", "password": "x"}, headers=admin)
    assert response.status_code == 403


def test_a_company_shows_its_parent_and_its_associates_tree_and_unlinks_one(portal):
    operator = _operator(portal)
    portal.operator = operator
    root = portal.register("ROOT")
    sub = portal.register("SUB", parent="ROOT", activate=False)
    shop = portal.register("SHOP", parent="SUB", activate=False)
    other = portal.register("OTHER", activate=False)
    detail = portal.client.get(f"/operator/companies/{root}", headers=operator).json
    assert detail["parent"] is None and detail["user_count"] == 1
    assert [(node["company"]["number"], node["depth"]) for node in detail["associates"]] == [("SUB", 1), ("SHOP", 2)]
    assert portal.client.get(f"/operator/companies/{sub}", headers=operator).json["parent"]["number"] == "ROOT"
    assert portal.client.get("/operator/companies/nope", headers=operator).status_code == 404
    # Only a direct associate is unlinked; anything else is not found.
    assert portal.client.delete(f"/operator/companies/{root}/associates/{shop}", headers=operator).status_code == 404
    assert portal.client.delete(f"/operator/companies/{root}/associates/{other}", headers=operator).status_code == 404
    assert portal.client.delete(f"/operator/companies/nope/associates/{sub}", headers=operator).status_code == 404
    assert portal.client.delete(f"/operator/companies/{root}/associates/{sub}", headers=operator).status_code == 204
    assert portal.client.get(f"/operator/companies/{root}", headers=operator).json["associates"] == []
    sub_detail = portal.client.get(f"/operator/companies/{sub}", headers=operator).json
    assert sub_detail["parent"] is None and sub_detail["associates"][0]["company"]["id"] == shop
    assert portal.events("AssociateUnlinked") == [{"company_id": root, "associate_id": sub}]
    trail = portal.client.get(f"/operator/companies/{root}/trail", headers=operator).json
    assert trail["items"][0]["action"] == "associate_unlinked" and trail["items"][0]["target_id"] == sub
    assert trail["items"][0]["actor_name"] == "Portal Operator"
    assert portal.client.get(f"/operator/companies/{sub}/trail", headers=operator).json["items"][0]["action"] == "unlinked_from"


def test_a_companys_users_are_found_resent_their_mail_and_unlocked(portal, monkeypatch):
    operator = _operator(portal)
    company = portal.register("C1")
    other = portal.register("C2")
    admin = portal.admin_of("C1")
    assert portal.create_user(admin, "waiting@c1.test", last_name="Attente").status_code == 201
    found = portal.client.get(f"/operator/companies/{company}/users?status=not_activated", headers=operator).json
    assert found["total"] == 1 and found["items"][0]["email"] == "waiting@c1.test"
    assert portal.client.get(f"/operator/companies/{company}/users?q=attente", headers=operator).json["total"] == 1
    assert portal.client.get(f"/operator/companies/{company}/users?per_page=1&page=2", headers=operator).json["total"] == 2
    assert portal.client.get(f"/operator/companies/{company}/users?status=lost", headers=operator).status_code == 400
    assert portal.client.get("/operator/companies/nope/users", headers=operator).status_code == 404
    waiting, active = portal.user("waiting@c1.test"), portal.user("admin@c1.test")
    before = len(portal.events("UserCreated"))
    answer = portal.client.post(f"/operator/companies/{company}/users/activation-mails",
                                json={"user_ids": [waiting.id, active.id]}, headers=operator)
    assert answer.status_code == 202 and answer.json["sent"] == [waiting.id]
    assert answer.json["skipped"] == [{"user_id": active.id, "reason": "already_active"}]
    assert len(portal.events("UserCreated")) == before + 1
    # Another company's user is not found through this company.
    response = portal.client.post(f"/operator/companies/{other}/users/activation-mails",
                                  json={"user_ids": [waiting.id]}, headers=operator)
    assert response.status_code == 404
    assert portal.client.post(f"/operator/companies/{company}/users/activation-mails", json={"user_ids": []},
                              headers=operator).status_code == 400
    unlock = f"/operator/companies/{company}/users/{active.id}/unlock"
    assert portal.client.post(unlock, headers=operator).json["error"]["code"] == "not_locked"
    portal.update_user("admin@c1.test", locked_until=utcnow() + timedelta(minutes=30))
    assert portal.login("admin@c1.test").status_code == 423
    response = portal.client.post(unlock, headers=operator)
    assert response.status_code == 200 and response.json["locked"] is False
    assert portal.login("admin@c1.test").status_code == 200
    assert portal.client.post(f"/operator/companies/{other}/users/{active.id}/unlock", headers=operator).status_code == 404
    trail = portal.client.get(f"/operator/companies/{company}/trail?per_page=2", headers=operator).json
    assert [item["action"] for item in trail["items"]] == ["user_unlocked", "activation_mail_sent"]
    assert trail["total"] >= 4  # the registration and the administrator's creation before them
    assert portal.client.get(f"/operator/companies/{company}/trail?page=0", headers=operator).status_code == 400


def test_operators_are_listed_created_and_disabled_but_never_oneself_nor_the_last(portal):
    operator = _operator(portal)
    me = portal.user(operator_email())
    weak = portal.client.post("/operator/operators", json={"email": "second@vendor.test", "password": "short"},
                              headers=operator)
    assert weak.status_code == 400 and weak.json["error"]["code"] == "password_rules"
    assert weak.json["error"]["fields"]["password"][0].startswith("min_length_")
    assert portal.client.post("/operator/operators", json={"email": "nope", "password": "x"},
                              headers=operator).status_code == 400
    created = portal.client.post("/operator/operators", json={"email": "Second@Vendor.test", "first_name": "Sam",
                                                              "last_name": "Second", "password": "Vendor-Operator-77!"},
                                 headers=operator)
    assert created.status_code == 201 and created.json["status"] == "active"
    again = portal.client.post("/operator/operators", json={"email": "second@vendor.test", "password": "Vendor-Operator-77!"},
                               headers=operator)
    assert again.status_code == 409 and again.json["error"]["code"] == "user_exists"
    assert portal.login("second@vendor.test", "Vendor-Operator-77!").json["user"]["operator"] is True
    listed = portal.client.get("/operator/operators", headers=operator).json
    assert listed["total"] == 2 and {item["email"] for item in listed["items"]} == {operator_email(), "second@vendor.test"}
    own = portal.client.post(f"/operator/operators/{me.id}/disable", headers=operator)
    assert own.status_code == 409 and own.json["error"]["code"] == "own_account"
    second = created.json["id"]
    disabled = portal.client.post(f"/operator/operators/{second}/disable", headers=operator)
    assert disabled.status_code == 200 and disabled.json["status"] == "disabled"
    assert portal.events("SessionsEnded")[-1]["user_id"] == second
    assert portal.login("second@vendor.test", "Vendor-Operator-77!").status_code == 401
    resets = len(portal.events("PasswordResetRequested"))
    assert portal.client.post("/auth/password/forgot", json={"email": "second@vendor.test"},
                              headers=portal.as_caller()).status_code == 202
    assert len(portal.events("PasswordResetRequested")) == resets  # no way back in through a reset
    assert portal.client.post(f"/operator/operators/{second}/disable", headers=operator).json["error"]["code"] == \
        "operator_disabled"
    # The disabled one (through a session not ended yet, say) cannot disable the last active operator.
    from_second = portal.as_caller(user_id=second, operator=True)
    last = portal.client.post(f"/operator/operators/{me.id}/disable", headers=from_second)
    assert last.status_code == 409 and last.json["error"]["code"] == "last_operator"
    company = portal.register("C1")
    admin_id = portal.user("admin@c1.test").id
    assert portal.client.post(f"/operator/operators/{admin_id}/disable", headers=operator).status_code == 404
    assert portal.client.post(f"/operator/operators/{company}/disable", headers=operator).status_code == 404
    assert portal.login(operator_email(), operator_password()).status_code == 200


def test_operators_contract_decisions_reach_the_companys_trail(portal):
    from identity.handlers import HANDLERS
    from portalkit.events import load_event, new_envelope

    operator = _operator(portal)
    company = portal.register("C1")
    me = portal.user(operator_email())
    events = [("ContractRecorded", {"contract_id": "k1", "company_id": company, "starts_on": "2026-01-01",
                                    "operator_id": me.id}),
              ("ContractEndScheduled", {"contract_id": "k1", "company_id": company, "ends_on": "2026-12-31",
                                        "operator_id": me.id}),
              ("ContractEnded", {"contract_id": "k1", "company_id": company, "ended_on": "2027-01-01"}),
              ("ContractEnded", {"contract_id": "k1", "company_id": company, "ended_on": "2026-12-02",
                                 "operator_id": me.id})]
    for event_type, data in events:
        with portal.database.transaction() as session:
            HANDLERS[f"assets.{event_type}"](session, load_event(new_envelope(event_type, data)))
    trail = portal.client.get(f"/operator/companies/{company}/trail?per_page=3", headers=operator).json["items"]
    # The calendar's end is no one's action: only the operator's three decisions are there.
    assert [item["action"] for item in trail] == ["contract_ended", "contract_end_scheduled", "contract_recorded"]
    assert trail[0]["actor_name"] == "Portal Operator" and trail[0]["details"] == {"ended_on": "2026-12-02"}
    with portal.database.sessions() as session:
        assert session.scalar(select(User.id).where(User.id == me.id)) is not None
        assert len(session.scalars(select(AdministrationAudit).where(
            AdministrationAudit.target_id == "k1")).all()) == 3


def test_operators_changes_to_a_companys_own_service_reach_its_trail(portal):
    from identity.handlers import HANDLERS
    from portalkit.events import load_event, new_envelope

    operator = _operator(portal)
    company = portal.register("C1")
    me = portal.user(operator_email())
    service = {"service_id": "s1", "code": "c1-reports", "family": "Online services", "title_en": "C1 reports"}
    events = [("ServicePublished", {**service, "scope_company_id": company, "operator_id": me.id, "created": True}),
              ("ServicePublished", {**service, "scope_company_id": company, "operator_id": me.id}),
              ("ServicePublished", {**service, "service_id": "s2"}),  # the catalog's own, for everyone
              ("ServicePublished", {**service, "service_id": "s3", "operator_id": me.id}),  # no company's
              ("ServiceRetired", {"service_id": "s1", "code": "c1-reports", "scope_company_id": company,
                                  "operator_id": me.id})]
    for event_type, data in events:
        with portal.database.transaction() as session:
            HANDLERS[f"catalog.{event_type}"](session, load_event(new_envelope(event_type, data)))
    trail = portal.client.get(f"/operator/companies/{company}/trail?per_page=3", headers=operator).json["items"]
    assert [(item["action"], item["target_id"]) for item in trail] == [
        ("service_retired", "s1"), ("service_updated", "s1"), ("service_created", "s1")]
    assert trail[2]["target_label"] == "C1 reports"

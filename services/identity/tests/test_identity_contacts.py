"""A company's contacts: roles named by its administrators, interests read from catalog's events,
the operators' read, and the trail."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from identity_testkit import ADMINISTRATION
from portalkit.events import load_event, new_envelope

from identity.handlers import HANDLERS


def _interest(portal, user_id, company_id, code, event="SubscriptionAccepted", subscription_id=None,
              actor_id=None, automatic=False, at=None):
    data = {"user_id": user_id, "email": None, "subscription_id": subscription_id or f"sub-{user_id}-{code}"[:64],
            "service_id": f"svc-{code}"[:64], "service_code": code, "service_title": code.title(),
            "company_id": company_id, "scope_company_id": company_id, "automatic": automatic,
            "actor_id": actor_id}
    envelope = new_envelope(event, data)
    if at is not None:
        envelope["occurred_at"] = at.isoformat()
    with portal.database.transaction() as session:
        HANDLERS[f"catalog.{event}"](session, load_event(envelope))


def _scene(portal):
    company = portal.register("C100")
    admin = portal.admin_of("C100")
    created = portal.create_user(admin, "paie@c100.test", first_name="Paul", last_name="Aie")
    assert created.status_code == 201, created.json
    return company, admin, created.json["id"]


def test_an_administrator_names_roles_and_the_operator_reads_them(portal):
    company, admin, user_id = _scene(portal)
    answer = portal.client.put(f"/identity/contacts/{user_id}/roles", json={"roles": ["payroll", "signatory"]},
                               headers=admin)
    assert answer.status_code == 200, answer.json
    assert answer.json["roles"] == ["payroll", "signatory"]
    listed = portal.client.get(f"/operator/companies/{company}/contacts", headers=portal.operator)
    assert listed.status_code == 200, listed.json
    assert listed.json["company"]["number"] == "C100"
    first = listed.json["items"][0]
    assert first["user"]["id"] == user_id and first["roles"] == ["payroll", "signatory"]
    assert listed.json["total"] == 2
    payroll = portal.client.get(f"/operator/companies/{company}/contacts?role=payroll", headers=portal.operator)
    assert [item["user"]["id"] for item in payroll.json["items"]] == [user_id]
    trail = portal.client.get("/identity/administration-audits?action=contact_roles_changed", headers=admin)
    assert trail.json["items"][0]["details"] == {"added": ["payroll", "signatory"], "removed": []}


def test_the_main_contact_is_one_per_company_and_moves(portal):
    company, admin, user_id = _scene(portal)
    admin_id = portal.user("admin@c100.test").id
    assert portal.client.put(f"/identity/contacts/{admin_id}/roles", json={"roles": ["main_contact", "it"]},
                             headers=admin).status_code == 200
    moved = portal.client.put(f"/identity/contacts/{user_id}/roles", json={"roles": ["main_contact"]}, headers=admin)
    assert moved.status_code == 200
    contacts = portal.client.get("/identity/contacts", headers=admin).json["items"]
    roles = {item["user"]["id"]: item["roles"] for item in contacts}
    assert roles == {admin_id: ["it"], user_id: ["main_contact"]}
    trail = portal.client.get(f"/identity/administration-audits?target_id={admin_id}", headers=admin).json["items"]
    assert trail[0]["details"]["removed"] == ["main_contact"] and trail[0]["details"]["moved_to"] == user_id


def test_interests_follow_catalog_and_changes_by_a_person_are_in_the_trail(portal):
    company, admin, user_id = _scene(portal)
    admin_id = portal.user("admin@c100.test").id
    _interest(portal, user_id, company, "receive-sales-news", automatic=True)
    _interest(portal, user_id, company, "functional-preference-accounting", actor_id=admin_id)
    _interest(portal, user_id, company, "view-faqs", actor_id=admin_id)  # not an interest
    contact = portal.client.get(f"/identity/contacts/{user_id}", headers=admin).json
    assert [i["service_code"] for i in contact["interests"]] == ["functional-preference-accounting",
                                                                 "receive-sales-news"]
    _interest(portal, user_id, company, "functional-preference-accounting", event="SubscriptionCancelled",
              actor_id=admin_id)
    contact = portal.client.get(f"/operator/companies/{company}/contacts", headers=portal.operator).json
    by_user = {item["user"]["id"]: item for item in contact["items"]}
    assert [i["service_code"] for i in by_user[user_id]["interests"]] == ["receive-sales-news"]
    actions = [entry["action"] for entry in portal.client.get(
        f"/identity/administration-audits?target_id={user_id}", headers=admin).json["items"]]
    assert actions[:2] == ["interest_cleared", "interest_set"]  # the automatic one is not a person's change
    assert "interest_set" not in actions[2:]


def test_a_late_acceptance_after_its_end_stays_void(portal):
    company, admin, user_id = _scene(portal)
    accepted_at = datetime.now(timezone.utc) - timedelta(seconds=5)
    _interest(portal, user_id, company, "receive-sales-news", event="SubscriptionCancelled", subscription_id="s1")
    _interest(portal, user_id, company, "receive-sales-news", subscription_id="s1", at=accepted_at)
    assert portal.client.get(f"/identity/contacts/{user_id}", headers=admin).json["interests"] == []


def test_scope_and_refusals(portal):
    company, admin, user_id = _scene(portal)
    other = portal.register("C200")
    other_admin = portal.admin_of("C200")
    assert portal.client.put(f"/identity/contacts/{user_id}/roles", json={"roles": ["it"]},
                             headers=other_admin).status_code == 404
    assert portal.client.get(f"/identity/contacts/{user_id}", headers=other_admin).status_code == 404
    bad = portal.client.put(f"/identity/contacts/{user_id}/roles", json={"roles": ["boss"]}, headers=admin)
    assert bad.status_code == 400 and "roles" in bad.json["error"]["fields"]
    # A company administrator may not use the operators' read; an unknown company is 404.
    assert portal.client.get(f"/operator/companies/{company}/contacts", headers=admin).status_code == 403
    assert portal.client.get("/operator/companies/nope/contacts", headers=portal.operator).status_code == 404
    plain = portal.caller("paie@c100.test")
    assert portal.client.get("/identity/contacts", headers=plain).status_code == 403
    assert other  # the second company exists

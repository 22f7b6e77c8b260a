"""The administrators read-model fed by catalog's subscription events, and the trail of actions."""
from __future__ import annotations

from datetime import timedelta

from identity.handlers import HANDLERS
from identity.models import AdministrationGrant
from identity_testkit import ADMINISTRATION, SUPERVISION
from portalkit.db import utcnow
from portalkit.topology import SUBSCRIPTIONS


def _listed(portal, email):
    items = portal.client.get("/identity/administrators", headers=portal.caller(email)).json["items"]
    return [(item["role"], item["user"]["email"]) for item in items]


def test_the_worker_handles_what_the_topology_sends_identity():
    assert set(HANDLERS) == set(SUBSCRIPTIONS["identity"])


def test_grants_and_ends_shape_the_administrators_list(portal):
    portal.register("C1")
    portal.create_user(portal.admin_of("C1"), "bruno@c1.test")
    portal.activate("bruno@c1.test", "Bruno-Secret-9", first_name="Bruno", last_name="Petit")
    bruno, company = portal.user("bruno@c1.test").id, portal.companies["C1"]
    assert _listed(portal, "bruno@c1.test") == [("administrator", "admin@c1.test")]
    portal.grant(bruno, company, ADMINISTRATION, subscription_id="sub-1")
    portal.grant(bruno, company, ADMINISTRATION, subscription_id="sub-1")  # redelivered: nothing twice
    assert _listed(portal, "bruno@c1.test") == [("administrator", "admin@c1.test"), ("administrator", "bruno@c1.test")]
    portal.grant(bruno, company, ADMINISTRATION, subscription_id="sub-1", event="SubscriptionCancelled")
    assert _listed(portal, "bruno@c1.test") == [("administrator", "admin@c1.test")]
    portal.grant(bruno, company, "request-service", subscription_id="sub-2")  # other services: ignored
    with portal.database.sessions() as session:
        assert session.get(AdministrationGrant, "sub-2") is None


def test_an_end_that_arrives_before_its_acceptance_wins(portal):
    portal.register("C1")
    admin, company = portal.user("admin@c1.test").id, portal.companies["C1"]
    now = utcnow()
    portal.grant(admin, company, SUPERVISION, subscription_id="sub-9", event="SubscriptionExpired", at=now)
    portal.grant(admin, company, SUPERVISION, subscription_id="sub-9", at=now - timedelta(minutes=1))
    with portal.database.sessions() as session:
        grant = session.get(AdministrationGrant, "sub-9")
        assert grant.granted_at is None and grant.ended_at is not None
    portal.grant(admin, company, SUPERVISION, subscription_id="sub-9", at=now + timedelta(minutes=1))
    with portal.database.sessions() as session:
        assert session.get(AdministrationGrant, "sub-9").ended_at is None  # granted again later


def test_a_company_keeps_its_administrator_until_another_holds_the_right(portal):
    portal.register("C1")
    admin, company = portal.user("admin@c1.test").id, portal.companies["C1"]
    headers = portal.admin_of("C1")
    assert portal.client.delete(f"/identity/users/{admin}", headers=headers).status_code == 409
    portal.grant(admin, company, ADMINISTRATION, event="SubscriptionCancelled")  # right ended in catalog
    assert portal.client.delete(f"/identity/users/{admin}", headers=headers).status_code == 204


def test_every_administration_action_is_in_the_trail(portal):
    portal.register("C1")
    portal.register("C2")
    admin = portal.admin_of("C1")
    portal.create_user(admin, "bruno@c1.test")
    bruno = portal.user("bruno@c1.test").id
    portal.client.patch(f"/identity/users/{bruno}", json={"function": "CFO", "security_level": 3}, headers=admin)
    portal.client.post("/identity/users/activation-mails", json={"user_ids": [bruno]}, headers=admin)
    portal.client.post(f"/identity/users/{bruno}/unlock", headers=admin)
    portal.client.delete(f"/identity/users/{bruno}", headers=admin)
    trail = portal.client.get("/identity/administration-audits", headers=admin).json
    assert [e["action"] for e in trail["items"]] == ["user_deleted", "user_unlocked", "activation_mail_sent",
                                                     "user_updated", "user_created", "company_registered"]
    updated = trail["items"][3]
    assert updated["actor_name"] == "Claire Durand" and updated["target_label"] == "bruno@c1.test"
    assert updated["details"] == {"fields": ["function", "security_level"]} and updated["occurred_at"]
    assert portal.client.get(f"/identity/administration-audits?target_id={bruno}&per_page=1",
                             headers=admin).json["total"] == 5
    other = portal.admin_of("C2")
    assert [e["action"] for e in portal.client.get("/identity/administration-audits", headers=other).json["items"]] \
        == ["company_registered"]  # its own, none of C1's
    assert portal.client.get(f"/identity/administration-audits?company={portal.companies['C1']}",
                             headers=other).status_code == 404
    assert portal.client.get("/identity/administration-audits", headers=portal.caller("admin@c1.test")).status_code == 403


def test_the_operators_actions_on_a_company_are_in_its_trail(portal):
    portal.register("P")
    portal.register("A1")
    linked = portal.client.post(f"/operator/companies/{portal.companies['P']}/associates",
                                json={"company_id": portal.companies["A1"]}, headers=portal.operator)
    assert linked.status_code == 201
    trail = portal.client.get("/identity/administration-audits", headers=portal.admin_of("P")).json["items"]
    assert [(e["action"], e["target_label"]) for e in trail] == [("associate_linked", "Company A1"),
                                                                 ("company_registered", "Company P")]
    assert trail[0]["actor_id"] == "op" and trail[1]["details"]["administrator"] == "admin@p.test"

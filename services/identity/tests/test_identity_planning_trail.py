"""The planning of services in the company's administration trail: an operator's plan, move and
cancellation (assets' events, handled as the worker does), without the place or access codes."""
from __future__ import annotations

import os

from identity.handlers import HANDLERS
from portalkit.events import load_event, new_envelope


def _handle(portal, event_type: str, data: dict) -> None:
    with portal.database.transaction() as session:
        HANDLERS[f"assets.{event_type}"](session, load_event(new_envelope(event_type, data)))


def test_plans_moves_and_cancellations_reach_the_companys_trail(portal):
    company = portal.register("P1", email="admin@p1.test", first_name="Ana", last_name="Lopes")
    admin = portal.user("admin@p1.test")
    operator = portal.user(os.environ["PORTAL_BOOTSTRAP_OPERATOR_EMAIL"])
    service = {"intervention_id": "i1", "company_id": company, "kind": "training",
               "starts_at": "2027-03-10T08:00:00+00:00", "ends_at": "2027-03-10T11:00:00+00:00",
               "access_code": "4711", "operator_id": operator.id,
               "recipient": {"user_id": admin.id, "email": admin.email}}
    _handle(portal, "InterventionPlanned", service)
    _handle(portal, "InterventionChanged", {**service, "starts_at": "2027-03-11T08:00:00+00:00",
                                            "ends_at": "2027-03-11T11:00:00+00:00",
                                            "previous_starts_at": "2027-03-10T08:00:00+00:00"})
    _handle(portal, "InterventionCancelled", {**service, "reason": "ill"})
    _handle(portal, "InterventionPlanned", {**service, "company_id": "elsewhere"})  # unknown: nowhere
    headers = portal.as_caller(user_id=operator.id, operator=True, session_id="op-session")
    trail = portal.client.get(f"/operator/companies/{company}/trail?per_page=10", headers=headers).json["items"]
    mine = [(item["action"], item["actor_name"], item["target_label"]) for item in trail
            if item["action"].startswith("intervention")]
    assert mine == [("intervention_cancelled", "Portal Operator", "Training 2027-03-10 08:00 UTC"),
                    ("intervention_changed", "Portal Operator", "Training 2027-03-11 08:00 UTC"),
                    ("intervention_planned", "Portal Operator", "Training 2027-03-10 08:00 UTC")]
    assert "4711" not in str(trail) and trail[0]["details"]["reason"] == "ill"

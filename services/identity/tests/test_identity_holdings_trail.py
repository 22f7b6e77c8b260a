"""An operator's records of a company's holdings in its administration trail: recorded, changed,
removed (assets' events, handled as the worker does); what no operator did is left out."""
from __future__ import annotations

import os

from identity.handlers import HANDLERS
from portalkit.events import load_event, new_envelope


def _handle(portal, event_type: str, data: dict) -> None:
    with portal.database.transaction() as session:
        HANDLERS[f"assets.{event_type}"](session, load_event(new_envelope(event_type, data)))


def test_holdings_recorded_changed_and_removed_reach_the_companys_trail(portal):
    company = portal.register("H1", email="admin@h1.test", first_name="Ana", last_name="Lopes")
    operator = portal.user(os.environ["PORTAL_BOOTSTRAP_OPERATOR_EMAIL"])
    holding = {"holding_id": "h1", "company_id": company, "product_id": "p1", "product_code": "ERP",
               "quantity": 2, "machine_id": None}
    _handle(portal, "HoldingRecorded", {**holding, "operator_id": operator.id, "created": True})
    _handle(portal, "HoldingRecorded", {**holding, "quantity": 3, "operator_id": operator.id, "created": False})
    _handle(portal, "HoldingRecorded", {**holding, "quantity": 4})  # no operator named: not in the trail
    _handle(portal, "HoldingRemoved", {"holding_id": "h1", "company_id": company, "product_id": "p1",
                                       "product_code": "ERP", "operator_id": operator.id})
    headers = portal.as_caller(user_id=operator.id, operator=True, session_id="op-session")
    trail = portal.client.get(f"/operator/companies/{company}/trail?per_page=10", headers=headers).json["items"]
    mine = [(item["action"], item["actor_name"], item["target_label"]) for item in trail
            if item["action"].startswith("holding")]
    assert mine == [("holding_removed", "Portal Operator", "ERP"), ("holding_changed", "Portal Operator", "ERP"),
                    ("holding_recorded", "Portal Operator", "ERP")]
    changed = next(item for item in trail if item["action"] == "holding_changed")
    assert changed["details"] == {"quantity": 3, "machine_id": None}

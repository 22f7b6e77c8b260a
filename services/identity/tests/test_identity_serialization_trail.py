"""Serialization in the company's administration trail: the codes a user issued, the identifier
change they asked for, the operator's decision (assets' events, handled as the worker does)."""
from __future__ import annotations

import os

from identity.handlers import HANDLERS
from portalkit.events import load_event, new_envelope


def _handle(portal, event_type: str, data: dict) -> None:
    with portal.database.transaction() as session:
        HANDLERS[f"assets.{event_type}"](session, load_event(new_envelope(event_type, data)))


def test_codes_issued_and_identifier_changes_reach_the_companys_trail(portal):
    company = portal.register("S1", email="admin@s1.test", first_name="Ana", last_name="Lopes")
    admin = portal.user("admin@s1.test")
    operator = portal.user(os.environ["PORTAL_BOOTSTRAP_OPERATOR_EMAIL"])
    code = {"code_id": "code1", "holding_id": "h1", "product": "ERP", "major_version": 7, "key_id": "k"}
    _handle(portal, "SerializationCodesIssued", {"company_id": company, "user_id": admin.id, "machine_id": "PC-1",
                                                 "codes": [code]})
    _handle(portal, "IdentifierChangeRequested", {
        "change_id": "ch1", "company_id": company, "user_id": admin.id, "new_machine_id": "PC-2", "reason": "new PC",
        "holdings": [{"holding_id": "h1", "product": "ERP", "previous_machine_id": "PC-1"}]})
    _handle(portal, "IdentifierChangeDecided", {
        "change_id": "ch1", "company_id": company, "user_id": admin.id, "email": admin.email, "language": "en",
        "decision": "approved",
        "new_machine_id": "PC-2", "operator_id": operator.id})
    _handle(portal, "SerializationCodesIssued", {"company_id": company, "user_id": admin.id, "machine_id": "PC-2",
                                                 "codes": [{**code, "code_id": "code2"}], "change_id": "ch1",
                                                 "operator_id": operator.id})
    headers = portal.as_caller(user_id=operator.id, operator=True, session_id="op-session")
    trail = portal.client.get(f"/operator/companies/{company}/trail?per_page=10", headers=headers).json["items"]
    mine = [(item["action"], item["actor_name"], item["target_label"]) for item in trail
            if item["action"].startswith(("serialization", "identifier"))]
    assert mine == [("serialization_codes_issued", "Portal Operator", "PC-2"),
                    ("identifier_change_approved", "Portal Operator", "PC-2"),
                    ("identifier_change_requested", "Ana Lopes", "PC-2"),
                    ("serialization_codes_issued", "Ana Lopes", "PC-1")]
    first = next(item for item in reversed(trail) if item["action"] == "serialization_codes_issued")
    assert first["details"]["codes"] == [{"code_id": "code1", "holding_id": "h1", "product": "ERP"}]
    # An unknown company is not written anywhere (identity has not heard of it).
    _handle(portal, "SerializationCodesIssued", {"company_id": "elsewhere", "user_id": admin.id, "machine_id": "X",
                                                 "codes": [code]})

"""Serialization through the gateway, on both backends: an administrator and a holder of "Download
updates" get codes that the README's routine verifies with the published keys; the inventory shows
them; the identifier rules, another company's holdings, rights and bad input; an identifier change
approved by an operator revokes the old code (public revocation list) and issues a new one; each
issue is in the company's trail; the rate limit per company answers 429 with Retry-After."""
from __future__ import annotations

import re
import sys
import uuid
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from management_scene import activate, register  # noqa: E402

pytestmark = pytest.mark.mesh
README = Path(__file__).resolve().parents[2] / "services" / "assets" / "README.md"


def _created(answer, status: int = 201) -> dict:
    assert answer.status_code == status, answer.text
    return answer.json()


def _verify_code():
    block = re.search(r"<!-- verification routine[^>]*-->\n```python\n(.*?)```", README.read_text("utf-8"), re.S)
    namespace: dict = {}
    exec(compile(block.group(1), str(README), "exec"), namespace)  # noqa: S102 - the README's routine
    return namespace["verify_code"]


@pytest.fixture(scope="module")
def scene(mesh):
    """Company A (under contract: every holding) with three serializable holdings (one on a machine
    already) and a hardware one; company B with one of its own."""
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    a, b = register(mesh, operator, tag, "Alpha", "Anna"), register(mesh, operator, tag, "Beta", "Bruno")
    company = {"a": a["company"]["id"], "b": b["company"]["id"]}

    def product(code, serializable, kind="software"):
        return _created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
            "code": f"{code}-{tag}", "name_en": f"{code} en", "name_fr": f"{code} fr", "kind": kind,
            "brand": "Etafi", "domain": "Payroll", "serializable": serializable, "major_version": 5}))

    def holding(name, product_id, machine_id=None):
        return _created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
            "company_id": company[name], "product_id": product_id, "quantity": 1, "machine_id": machine_id}))["id"]

    ledger, payroll, server = product("LED", True), product("PAY", True), product("SRV", False, "hardware")
    held = {"ledger": holding("a", ledger["id"]), "payroll": holding("a", payroll["id"]),
            "placed": holding("a", payroll["id"], f"OLD-{tag}"), "server": holding("a", server["id"]),
            "beta": holding("b", ledger["id"])}
    _created(operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
        "company_id": company["a"], "starts_on": "2026-01-01"}))
    return {"tag": tag, "operator": operator, "company": company, "held": held, "ledger": ledger,
            "admin_a": activate(mesh, a["email"], "Anna"), "admin_b": activate(mesh, b["email"], "Bruno"),
            "a": a}


def _serialize(session, mesh, machine_id, *holding_ids):
    return session.post(mesh.url("/api/assets/serializations"), timeout=30,
                        json={"machine_id": machine_id, "holding_ids": list(holding_ids)})


def _public_keys(mesh) -> dict:
    keys = _created(requests.get(mesh.url("/api/assets/serialization/keys"), timeout=10), 200)
    current = _created(requests.get(mesh.url("/api/assets/serialization/key"), timeout=10), 200)
    assert current["algorithm"] == "Ed25519" and current["key_id"] == keys["current"]
    return {key["key_id"]: key["public_key"] for key in keys["items"]}


def test_an_administrator_serializes_and_the_readme_routine_verifies_the_codes(mesh, scene):
    held, machine = scene["held"], f"PC-{scene['tag']}"
    items = _created(_serialize(scene["admin_a"], mesh, machine, held["ledger"], held["payroll"]))["items"]
    assert [(item["holding_id"], item["machine_id"]) for item in items] == [
        (held["ledger"], machine), (held["payroll"], machine)]
    verify_code, keys = _verify_code(), _public_keys(mesh)
    claims = verify_code(items[0]["code"], keys)
    assert (claims["company"], claims["product"], claims["machine_id"], claims["major_version"]) == (
        scene["company"]["a"], scene["ledger"]["code"], machine, 5)
    # The inventory filters on that identifier, each code beside its product.
    listing = _created(scene["admin_a"].get(mesh.url("/api/assets/inventory"), params={"machine_id": machine},
                                            timeout=10), 200)
    codes = {item["id"]: (item["serialization"] or {}).get("code") for item in listing["items"]}
    assert codes == {held["ledger"]: items[0]["code"], held["payroll"]: items[1]["code"]}
    # Asked again: the same codes.
    again = _created(_serialize(scene["admin_a"], mesh, machine, held["ledger"]))["items"]
    assert again[0]["code"] == items[0]["code"]
    # The issue is in the company's trail on the operator's next request.
    trail = _created(scene["operator"].get(mesh.url(f"/api/operator/companies/{scene['company']['a']}/trail"),
                                           timeout=10), 200)["items"]
    issued = [item for item in trail if item["action"] == "serialization_codes_issued"]
    assert issued and issued[0]["target_label"] == machine and issued[0]["actor_name"].startswith("Anna")


def test_rights_other_companies_and_bad_input(mesh, scene):
    held, admin_a = scene["held"], scene["admin_a"]
    placed = _serialize(admin_a, mesh, "ELSEWHERE", held["placed"])
    assert placed.status_code == 409 and placed.json()["error"]["code"] == "identifier_set"
    hardware = _serialize(admin_a, mesh, "PC", held["server"])
    assert hardware.status_code == 409 and hardware.json()["error"]["code"] == "not_serializable"
    assert _serialize(admin_a, mesh, "PC", held["beta"]).status_code == 404
    assert _serialize(scene["admin_b"], mesh, "PC", held["ledger"]).status_code == 404
    uncovered = _serialize(scene["admin_b"], mesh, "PC", held["beta"])  # B has no contract
    assert uncovered.status_code == 409 and uncovered.json()["error"]["code"] == "not_on_contract"
    for machine_id in ("", "x" * 65, "PC\x07"):
        answer = _serialize(admin_a, mesh, machine_id, held["ledger"])
        assert answer.status_code == 400 and "machine_id" in answer.json()["error"]["fields"], machine_id
    assert requests.post(mesh.url("/api/assets/serializations"), json={"machine_id": "PC", "holding_ids": [
        held["ledger"]]}, timeout=10).status_code == 401


def test_a_holder_of_download_updates_may_serialize_a_plain_user_may_not(mesh, scene):
    email = f"dl-{scene['tag']}@alpha.test"
    user = _created(scene["admin_a"].post(mesh.url("/api/identity/users"), timeout=10, json={
        "email": email, "title": "M", "last_name": "Roux", "first_name": "Hugo", "language": "en",
        "function": "Buyer", "office_phone": "", "mobile_phone": "", "security_level": 1}))
    hugo = activate(mesh, email, "Hugo")
    refused = _serialize(hugo, mesh, "PC-H", scene["held"]["placed"])
    assert refused.status_code == 403
    offer = _created(scene["admin_a"].get(mesh.url("/api/catalog/services"), timeout=10, params={
        "q": "Download", "user_id": user["id"], "per_page": 200}), 200)["items"]
    service = next(s for s in offer if s["entitlement_code"] == "download-updates")
    granted = _created(scene["admin_a"].post(mesh.url("/api/catalog/subscriptions"), timeout=10, json={
        "service_id": service["id"], "user_id": user["id"]}))
    assert granted["status"] == "accepted"
    code = _created(_serialize(hugo, mesh, f"OLD-{scene['tag']}", scene["held"]["placed"]))["items"][0]
    assert _verify_code()(code["code"], _public_keys(mesh))["machine_id"] == f"OLD-{scene['tag']}"


def test_an_approved_identifier_change_revokes_the_old_code_and_issues_a_new_one(mesh, scene):
    held, admin_a, operator = scene["held"], scene["admin_a"], scene["operator"]
    old_machine, new_machine = f"OLD-{scene['tag']}", f"NEW-{scene['tag']}"
    old = _created(_serialize(admin_a, mesh, old_machine, held["placed"]))["items"][0]
    # The requester reads French: the decision is mailed in French.
    _created(admin_a.patch(mesh.url("/api/identity/me"), json={"language": "fr-FR"}, timeout=10), 200)
    change = _created(admin_a.post(mesh.url("/api/assets/identifier-changes"), timeout=10, json={
        "holding_ids": [held["placed"]], "new_machine_id": new_machine, "reason": "The PC was replaced"}), 202)
    assert change["status"] == "pending"
    queue = _created(operator.get(mesh.url("/api/operator/identifier-changes"), params={"status": "pending"},
                                  timeout=10), 200)["items"]
    assert change["id"] in {item["id"] for item in queue}
    assert admin_a.post(mesh.url(f"/api/operator/identifier-changes/{change['id']}/approve"), json={},
                        timeout=10).status_code == 403
    approved = _created(operator.post(mesh.url(f"/api/operator/identifier-changes/{change['id']}/approve"),
                                      json={}, timeout=30), 200)
    assert approved["status"] == "approved"
    told = mesh.wait_for_mail("operators@portal.localhost", containing=new_machine)
    assert "Anna" in told["Subject"]
    decision = mesh.wait_for_mail(scene["a"]["email"], containing=new_machine)
    assert decision["Subject"].startswith("Changement d’identifiant accepté")
    revocations = _created(requests.get(mesh.url("/api/assets/serialization/revocations"), params={"per_page": 1000},
                                        timeout=10), 200)
    assert old["code_id"] in {item["code_id"] for item in revocations["items"]}
    # The list is signed like a code: the README's routine checks it too.
    assert old["code_id"] in _verify_code()(revocations["signed"], _public_keys(mesh))["revoked"]
    new = _created(_serialize(admin_a, mesh, new_machine, held["placed"]))["items"][0]
    assert new["code"] != old["code"]
    assert _verify_code()(new["code"], _public_keys(mesh))["machine_id"] == new_machine
    trail = _created(operator.get(mesh.url(f"/api/operator/companies/{scene['company']['a']}/trail"),
                                  timeout=10), 200)["items"]
    assert {"identifier_change_requested", "identifier_change_approved"} <= {item["action"] for item in trail}


def test_serialization_is_rate_limited_per_company(mesh, scene):
    operator = scene["operator"]
    c = register(mesh, operator, scene["tag"], "Gamma", "Gaston")
    gaston = activate(mesh, c["email"], "Gaston")
    answers = [_serialize(gaston, mesh, "PC", "no-such-holding") for _ in range(31)]
    assert {a.status_code for a in answers[:30]} == {404}
    refused = answers[30]
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "too_many_requests"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Company A's count is its own.
    assert _serialize(scene["admin_a"], mesh, f"PC-{scene['tag']}", scene["held"]["ledger"]).status_code == 201

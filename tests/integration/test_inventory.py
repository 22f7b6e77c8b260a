"""Products, holdings and "Your IT assets" through the gateway: an operator records products,
holdings and a contract covering some; a company's users list them with each filter; another
company's users see none of it; a supervisor sees the associate's; bad input answers 400."""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from management_scene import activate, supervision_tree  # noqa: E402

pytestmark = pytest.mark.mesh


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()


def _inventory(session, mesh, **query) -> dict:
    answer = session.get(mesh.url("/api/assets/inventory"), params=query, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _ids(listing: dict) -> set[str]:
    return {item["id"] for item in listing["items"]}


@pytest.fixture(scope="module")
def scene(mesh):
    """Head office ── Region ── Shop, and Elsewhere; each holds something, Head's contract covers
    its payroll only, Elsewhere's everything it holds."""
    tag = uuid.uuid4().hex[:6]
    tree = supervision_tree(mesh, tag)
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company = {name: tree[name]["company"]["id"] for name in ("head", "region", "shop", "elsewhere")}

    def product(code, name_en, name_fr, kind, serializable):
        return _created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
            "code": f"{code}-{tag}", "name_en": name_en, "name_fr": name_fr, "kind": kind, "brand": "Etafi",
            "domain": "Payroll", "serializable": serializable, "major_version": 4}))

    def holding(company_name, product_id, machine_id=None, quantity=1):
        return _created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
            "company_id": company[company_name], "product_id": product_id, "quantity": quantity,
            "machine_id": machine_id}))["id"]

    payroll = product("PAY", "Payroll", "Paie", "software", True)
    scanner = product("SCAN", "Scanner", "Numériseur", "hardware", False)
    machine = f"PC-{tag}"
    held = {"payroll": holding("head", payroll["id"], machine, 3), "scanner": holding("head", scanner["id"], machine),
            "spare": holding("head", payroll["id"]), "region": holding("region", scanner["id"]),
            "shop": holding("shop", payroll["id"]), "elsewhere": holding("elsewhere", payroll["id"])}
    contract = _created(operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
        "company_id": company["head"], "starts_on": "2026-01-01", "holding_ids": [held["payroll"]]}))
    assert contract["holding_ids"] == [held["payroll"]]
    _created(operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
        "company_id": company["elsewhere"], "starts_on": "2026-01-01"}))
    return {"tree": tree, "company": company, "held": held, "machine": machine, "operator": operator,
            "payroll": payroll, "scanner": scanner}


def test_a_user_lists_the_companys_holdings_with_each_filter(mesh, scene):
    supervisor, held, head = scene["tree"]["supervisor"], scene["held"], scene["company"]["head"]
    listing = _inventory(supervisor, mesh, company=head)
    assert listing["total"] == 3 and _ids(listing) == {held["payroll"], held["scanner"], held["spare"]}
    payroll = next(item for item in listing["items"] if item["id"] == held["payroll"])
    assert payroll["product"] == {"id": scene["payroll"]["id"], "code": scene["payroll"]["code"], "name": "Payroll",
                                  "kind": "software", "brand": "Etafi", "domain": "Payroll", "major_version": 4}
    assert (payroll["quantity"], payroll["machine_id"], payroll["on_contract"], payroll["serializable"],
            payroll["serialization"]) == (3, scene["machine"], True, True, None)
    assert _ids(_inventory(supervisor, mesh, company=head, kind="hardware")) == {held["scanner"]}
    assert _ids(_inventory(supervisor, mesh, company=head, kind="software")) == {held["payroll"], held["spare"]}
    assert _ids(_inventory(supervisor, mesh, company=head, contract="on")) == {held["payroll"]}
    assert _ids(_inventory(supervisor, mesh, company=head, contract="off")) == {held["scanner"], held["spare"]}
    assert _ids(_inventory(supervisor, mesh, company=head, machine_id=scene["machine"])) == {
        held["payroll"], held["scanner"]}
    page = _inventory(supervisor, mesh, company=head, per_page=2, page=2)
    assert page["total"] == 3 and len(page["items"]) == 1


def test_a_plain_user_of_the_company_sees_its_inventory(mesh, scene):
    user = mesh.api_login(*mesh.demo["user"])
    demo = user.get(mesh.url("/api/identity/me"), timeout=10).json()["company"]["id"]
    held = _created(scene["operator"].post(mesh.url("/api/operator/holdings"), timeout=10, json={
        "company_id": demo, "product_id": scene["scanner"]["id"], "quantity": 2}))["id"]
    listing = _inventory(user, mesh, kind="hardware")
    assert held in _ids(listing)
    assert not _ids(listing) & set(scene["held"].values())
    assert held not in _ids(_inventory(user, mesh, kind="software"))


def test_another_companys_user_sees_none_of_it(mesh, scene):
    elsewhere = activate(mesh, scene["tree"]["elsewhere"]["email"], "Etienne")
    listing = _inventory(elsewhere, mesh)
    assert _ids(listing) == {scene["held"]["elsewhere"]}
    assert listing["items"][0]["on_contract"] is True  # its contract names none: it covers all
    for name in ("head", "region", "shop"):
        refused = elsewhere.get(mesh.url("/api/assets/inventory"), params={"company": scene["company"][name]},
                                timeout=10)
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found", name
    # Nor may it name another company's holding in anything: the operators' routes are closed to it.
    assert elsewhere.get(mesh.url("/api/operator/holdings"), timeout=10).status_code == 403
    assert elsewhere.post(mesh.url("/api/operator/products"), json={}, timeout=10).status_code == 403


def test_a_supervisor_sees_the_associates_and_their_own(mesh, scene):
    supervisor, held, company = scene["tree"]["supervisor"], scene["held"], scene["company"]
    assert _ids(_inventory(supervisor, mesh, company=company["region"])) == {held["region"]}
    assert _ids(_inventory(supervisor, mesh, company=company["shop"])) == {held["shop"]}
    everything = _inventory(supervisor, mesh, per_page=200)
    assert _ids(everything) == {held[k] for k in ("payroll", "scanner", "spare", "region", "shop")}
    assert supervisor.get(mesh.url("/api/assets/inventory"), params={"company": company["elsewhere"]},
                          timeout=10).status_code == 404
    # The region's own administrator sees the region's, nothing above it.
    region = activate(mesh, scene["tree"]["region"]["email"], "Romain")
    assert _ids(_inventory(region, mesh, company=company["region"])) == {held["region"]}
    assert region.get(mesh.url("/api/assets/inventory"), params={"company": company["head"]},
                      timeout=10).status_code == 404


def test_bad_input_answers_400_in_the_error_shape(mesh, scene):
    supervisor, operator, company = scene["tree"]["supervisor"], scene["operator"], scene["company"]
    for query, field in (({"machine_id": "x" * 65}, "machine_id"), ({"machine_id": " "}, "machine_id"),
                         ({"machine_id": "PC\x07"}, "machine_id"), ({"kind": "service"}, "kind"),
                         ({"contract": "maybe"}, "contract"), ({"per_page": 500}, "per_page")):
        answer = supervisor.get(mesh.url("/api/assets/inventory"), params=query, timeout=10)
        assert answer.status_code == 400, (query, answer.text)
        error = answer.json()["error"]
        assert error["code"] == "invalid_input" and field in error["fields"] and error["message"], query
    for body, fields in (
            ({"company_id": company["head"], "product_id": scene["payroll"]["id"], "quantity": 0,
              "machine_id": ""}, {"quantity", "machine_id"}),
            ({"company_id": "nowhere", "product_id": scene["payroll"]["id"], "quantity": 1}, {"company_id"})):
        answer = operator.post(mesh.url("/api/operator/holdings"), json=body, timeout=10)
        assert answer.status_code == 400 and set(answer.json()["error"]["fields"]) == fields, answer.text
    taken = operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": scene["payroll"]["code"], "name_en": "Again", "name_fr": "Encore", "kind": "software"})
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "product_exists"
    # A contract may name the company's holdings only.
    foreign = operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
        "company_id": company["head"], "starts_on": "2026-01-01", "holding_ids": [scene["held"]["elsewhere"]]})
    assert foreign.status_code == 400 and set(foreign.json()["error"]["fields"]) == {"holding_ids"}

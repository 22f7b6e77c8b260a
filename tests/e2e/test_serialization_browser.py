""""Your IT assets" serialization in a real browser through the real mesh: an operator records two
serializable products held by the demo company without a machine identifier, under a contract; the
company's administrator ticks both, enters the machine's identifier and presses "Key": the list
comes back filtered on that identifier with a code beside each product, a code the published key
verifies offline; a holding on another machine goes through the change form, an operator approves
it and the new identifier gets its code. Screenshots go to PORTAL_SCREENSHOT_DIR."""
from __future__ import annotations

import base64
import json
import re
import sys
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer  # noqa: E402

pytestmark = pytest.mark.mesh


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scene(mesh, tag: str) -> dict:
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    admin = mesh.api_login(*mesh.demo["administrator"])
    company = admin.get(mesh.url("/api/identity/me"), timeout=10).json()["company"]["id"]

    def created(path, body):
        answer = operator.post(mesh.url(path), json=body, timeout=10)
        assert answer.status_code == 201, answer.text
        return answer.json()
    holdings = []
    for code, name in ((f"PAY-{tag}", f"Payroll {tag}"), (f"TAX-{tag}", f"Tax returns {tag}")):
        product = created("/api/operator/products", {"code": code, "name_en": name, "name_fr": name,
                                                     "kind": "software", "brand": "Etafi",
                                                     "serializable": True, "major_version": 7})
        holdings.append(created("/api/operator/holdings", {"company_id": company, "product_id": product["id"],
                                                           "quantity": 1})["id"])
    created("/api/operator/contracts", {"company_id": company, "starts_on": "2026-01-01", "holding_ids": holdings})
    return {"holdings": holdings, "machine": f"PC-{tag}", "company": company}


def _sign_in(page, mesh, email: str, password: str) -> None:
    page.goto(mesh.url("/login"))
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("h1")).not_to_have_text(re.compile("Sign in|Se connecter"))


def test_an_administrator_serializes_two_products_and_sees_their_codes(mesh, browser):
    tag = uuid.uuid4().hex[:6]
    scene = _scene(mesh, tag)
    shoot = Photographer(mesh.backend + "-serialization")
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    _sign_in(page, mesh, *mesh.demo["administrator"])

    page.goto(mesh.url("/assets/inventory?contract=on&kind=software"))
    for holding in scene["holdings"]:
        page.check(f"#holding-{holding}")
    page.fill("#key-machine-id", scene["machine"])
    page.get_by_role("button", name="Key").click()

    expect(page).to_have_url(re.compile(rf"/assets/inventory\?machine_id={scene['machine']}$"))
    rows = page.locator("table.inventory-list tbody tr")
    expect(rows).to_have_count(2)
    codes = {}
    for name in (f"Payroll {tag}", f"Tax returns {tag}"):
        row = rows.filter(has_text=name)
        expect(row.locator("code.serialization-code")).to_have_count(1)
        codes[name] = row.locator("code.serialization-code").inner_text()
    shoot(page, "codes")

    keys = mesh.api_login(*mesh.demo["administrator"]).get(mesh.url("/api/assets/serialization/keys"),
                                                           timeout=10).json()
    public = {key["key_id"]: key["public_key"] for key in keys["items"]}
    for name, code in codes.items():
        payload, signature = (_b64(part) for part in code.split("."))
        claims = json.loads(payload)
        Ed25519PublicKey.from_public_bytes(_b64(public[claims["key_id"]])).verify(signature, payload)
        assert claims["machine_id"] == scene["machine"] and claims["company"] == scene["company"]
        assert claims["product"] in (f"PAY-{tag}", f"TAX-{tag}") and claims["major_version"] == 7


def test_a_changed_identifier_is_requested_approved_by_an_operator_and_reissued(mesh, browser):
    tag = uuid.uuid4().hex[:6]
    scene = _scene(mesh, tag)
    holding, old, new = scene["holdings"][0], scene["machine"], f"NEW-{tag}"
    operator_api = mesh.api_login(mesh.operator_email, mesh.operator_password)
    placed = operator_api.patch(mesh.url(f"/api/operator/holdings/{holding}"), json={"machine_id": old}, timeout=10)
    assert placed.status_code == 200, placed.text

    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    _sign_in(page, mesh, *mesh.demo["administrator"])
    page.goto(mesh.url(f"/assets/inventory?machine_id={old}"))
    page.check(f"#holding-{holding}")
    page.fill("#key-machine-id", new)
    page.get_by_role("button", name="Key").click()
    expect(page.locator("h2#change-title")).to_have_text("Ask for an identifier change")
    page.fill("#reason", "The server was replaced.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".alert-success")).to_contain_text(new)

    operator = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    _sign_in(operator, mesh, mesh.operator_email, mesh.operator_password)
    operator.goto(mesh.url("/operator/identifier-changes"))
    operator.locator("article.identifier-change", has_text=new).get_by_role(
        "button", name=re.compile("^Approve")).click()

    page.goto(mesh.url(f"/assets/inventory?machine_id={new}"))
    row = page.locator("table.inventory-list tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("code.serialization-code")).to_have_count(1)

""""Your IT assets" in a real browser through the real mesh: an operator records (through the API) a
product and holdings for the demo company and a contract covering one; the demo user opens the
page (in French, the demo user's language), reads each holding with its contract, filters by kind,
contract and identifier, and reads it on a phone. Screenshots go to PORTAL_SCREENSHOT_DIR."""
from __future__ import annotations

import re
import sys
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer  # noqa: E402

pytestmark = pytest.mark.mesh
DESKTOP = {"width": 1280, "height": 900}


def _sign_in(page, mesh, email: str, password: str) -> None:
    page.goto(mesh.url("/login"))
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("h1")).not_to_have_text(re.compile("Sign in|Se connecter"))


def _scene(mesh, tag: str) -> dict:
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    user = mesh.api_login(*mesh.demo["user"])
    company = user.get(mesh.url("/api/identity/me"), timeout=10).json()["company"]["id"]

    def created(path, body):
        answer = operator.post(mesh.url(path), json=body, timeout=10)
        assert answer.status_code == 201, answer.text
        return answer.json()
    payroll = created("/api/operator/products", {"code": f"PAY-{tag}", "name_en": f"Payroll {tag}",
                                                 "name_fr": f"Paie {tag}", "kind": "software", "brand": "Etafi",
                                                 "serializable": True, "major_version": 5})
    scanner = created("/api/operator/products", {"code": f"SCAN-{tag}", "name_en": f"Scanner {tag}",
                                                 "name_fr": f"Numériseur {tag}", "kind": "hardware"})
    machine = f"PC-{tag}"
    covered = created("/api/operator/holdings", {"company_id": company, "product_id": payroll["id"], "quantity": 2,
                                                 "machine_id": machine})
    created("/api/operator/holdings", {"company_id": company, "product_id": scanner["id"], "quantity": 1,
                                       "machine_id": machine})
    created("/api/operator/contracts", {"company_id": company, "starts_on": "2026-01-01",
                                        "holding_ids": [covered["id"]]})
    return {"machine": machine}


def test_a_user_reads_and_filters_the_companys_it_assets(mesh, browser):
    tag = uuid.uuid4().hex[:6]
    scene = _scene(mesh, tag)
    shoot = Photographer(mesh.backend)
    page = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    _sign_in(page, mesh, *mesh.demo["user"])
    page.goto(mesh.url(f"/assets/inventory?machine_id={scene['machine']}"))
    expect(page.locator("h1")).to_have_text("Votre parc informatique")
    rows = page.locator("table.inventory-list tbody tr")
    expect(rows).to_have_count(2)
    payroll_row = rows.filter(has_text=f"Paie {tag}")
    expect(payroll_row).to_contain_text("Sous contrat")
    expect(rows.filter(has_text=f"Numériseur {tag}")).to_contain_text("Hors contrat")
    shoot(page, "inventory")

    page.select_option("#kind", "hardware")
    page.get_by_role("button", name="Filtrer").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"Numériseur {tag}")
    page.select_option("#kind", "")
    page.select_option("#contract", "on")
    page.get_by_role("button", name="Filtrer").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"Paie {tag}")
    page.fill("#machine_id", f"PC-none-{tag}")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#pager-summary")).to_contain_text("Aucun élément du parc ne correspond à ces critères.")
    page.get_by_role("link", name="Effacer le filtre").click()
    expect(page.locator("#pager-summary")).to_contain_text("Éléments")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", is_mobile=True).new_page()
    _sign_in(phone, mesh, *mesh.demo["user"])
    phone.goto(mesh.url(f"/assets/inventory?machine_id={scene['machine']}"))
    expect(phone.locator("table.inventory-list tbody tr")).to_have_count(2)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, width
    shoot(phone, "inventory-phone")


def test_an_operator_records_a_product_and_a_companys_holding_the_user_then_sees_it(mesh, browser):
    tag = uuid.uuid4().hex[:6]
    user = mesh.api_login(*mesh.demo["user"])
    company = user.get(mesh.url("/api/identity/me"), timeout=10).json()["company"]["id"]
    shoot = Photographer(mesh.backend + "-backoffice")
    page = browser.new_context(viewport=DESKTOP, locale="en-GB").new_page()
    _sign_in(page, mesh, mesh.operator_email, mesh.operator_password)
    page.get_by_role("link", name="Products").click()
    expect(page.locator("h1")).to_have_text("Products")
    page.fill("#code", f"DOC-{tag}")
    page.fill("#name_en", f"Documents {tag}")
    page.fill("#name_fr", f"Documents FR {tag}")
    page.select_option("#new-kind", "software")
    page.fill("#major_version", "2")
    page.check("#serializable")
    page.get_by_role("button", name="Record the product").click()
    expect(page.locator(".alert-success")).to_contain_text("The product has been recorded.")
    page.fill("#q", f"doc-{tag}")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table.products-list tbody tr")).to_have_count(1)
    shoot(page, "products")

    page.goto(mesh.url(f"/operator/companies/{company}/holdings"))
    page.fill("#product_code", f"DOC-{tag}")
    page.fill("#quantity", "4")
    page.fill("#machine_id", f"SRV-{tag}")
    page.get_by_role("button", name="Record the holding").click()
    expect(page.locator(".alert-success")).to_contain_text("The holding has been recorded.")
    expect(page.locator("table.holdings-list")).to_contain_text(f"SRV-{tag}")
    shoot(page, "holdings")

    listed = user.get(mesh.url("/api/assets/inventory"), params={"machine_id": f"SRV-{tag}"}, timeout=10).json()
    assert [(i["product"]["code"], i["quantity"]) for i in listed["items"]] == [(f"DOC-{tag}", 4)]
    page.locator("table.holdings-list tr", has_text=f"SRV-{tag}").get_by_role("button", name="Remove").click()
    expect(page.locator(".alert-success")).to_contain_text("The holding has been removed.")
    assert user.get(mesh.url("/api/assets/inventory"), params={"machine_id": f"SRV-{tag}"},
                    timeout=10).json()["total"] == 0

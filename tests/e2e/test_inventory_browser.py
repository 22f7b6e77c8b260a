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

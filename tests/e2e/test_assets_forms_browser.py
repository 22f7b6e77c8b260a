"""The rest of issue 11's pages in a real browser through the real mesh: an operator modifies a
product and a company's holding (the trail shows it) and records a contract covering one ticked
holding; a supervisor picks an associate's company on Your IT assets; a holder of "Download updates"
gets their calendar link on Downloads, and the link serves the calendar without signing in until it
is renewed. Screenshots go to PORTAL_SCREENSHOT_DIR."""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer, sign_in  # noqa: E402
from management_scene import PASSWORD, activate, register, supervision_tree  # noqa: E402

pytestmark = pytest.mark.mesh
DESKTOP = {"width": 1280, "height": 900}


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_an_operator_modifies_a_product_and_a_holding_and_ticks_a_contracts_holding(mesh, browser):
    tag = uuid.uuid4().hex[:6]
    tree = supervision_tree(mesh, tag)
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    region = tree["region"]["company"]
    products = [_created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": f"{code}-{tag}", "name_en": f"{name} {tag}", "name_fr": f"{name} FR", "kind": "software",
        "brand": "Etafi", "domain": "HR", "serializable": True, "major_version": 3})) for code, name in (
        ("PAY", "Payroll"), ("TIME", "Timesheets"))]
    holdings = [_created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
        "company_id": region["id"], "product_id": product["id"], "quantity": 1})) for product in products]

    shoot = Photographer(mesh.backend + "-assets-forms")
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, mesh, mesh.operator_email, mesh.operator_password)
    page.goto(mesh.url(f"/operator/products?q=pay-{tag}"))
    page.get_by_role("link", name=f"Modify PAY-{tag}").click()
    expect(page.locator("h1")).to_contain_text(f"PAY-{tag}")
    page.fill("#name_en", f"Payroll {tag} plus")
    page.fill("#major_version", "4")
    shoot(page, "product-form")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator(".alert-success")).to_have_text("The product has been modified.")
    expect(page.locator("table.products-list")).to_contain_text(f"Payroll {tag} plus")

    page.goto(mesh.url(f"/operator/companies/{region['id']}/holdings"))
    page.get_by_role("link", name=f"Modify PAY-{tag}").click()
    page.fill("#quantity", "5")
    page.fill("#machine_id", f"SRV-{tag}")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator(".alert-success")).to_have_text("The holding has been modified.")
    expect(page.locator("table.holdings-list")).to_contain_text(f"SRV-{tag}")
    page.goto(mesh.url(f"/operator/companies/{region['id']}/trail"))
    expect(page.locator("main")).to_contain_text("Holding modified")

    page.goto(mesh.url(f"/operator/companies/{region['id']}"))
    page.check(f"#holding-{holdings[1]['id']}")
    shoot(page, "contract-holdings")
    page.get_by_role("button", name="Record the contract").click()
    expect(page.locator(".alert-success")).to_contain_text("The contract has been recorded.")
    expect(page.locator("table.contracts-list")).to_contain_text(f"TIME-{tag}")
    covered = operator.get(mesh.url("/api/operator/contracts"), params={"company_id": region["id"]},
                           timeout=10).json()["items"]
    assert [contract["holding_ids"] for contract in covered] == [[holdings[1]["id"]]]

    # The head office's supervisor picks the region on Your IT assets: only the covered one is on contract.
    supervisor = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(supervisor, mesh, tree["head"]["email"], PASSWORD)
    supervisor.goto(mesh.url("/assets/inventory"))
    supervisor.select_option("#company", region["id"])
    supervisor.get_by_role("button", name="Filter").click()
    rows = supervisor.locator("table.inventory-list tbody tr")
    expect(rows).to_have_count(2)
    expect(supervisor.locator("tr", has_text=f"TIME-{tag}")).to_contain_text("On contract")
    expect(supervisor.locator("tr", has_text=f"PAY-{tag}")).to_contain_text("Off contract")
    shoot(supervisor, "inventory-supervisor-picker")


def test_a_holder_gets_the_calendar_link_and_a_renewal_ends_the_old_one(mesh, browser):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company = register(mesh, operator, tag, "Orchard", "Olive")
    product = _created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": f"ORC-{tag}", "name_en": f"Orchard {tag}", "name_fr": f"Verger {tag}", "kind": "software",
        "brand": "Etafi", "domain": "Retail", "serializable": False, "major_version": 2}))
    _created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
        "company_id": company["company"]["id"], "product_id": product["id"], "quantity": 1}))
    _created(operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
        "company_id": company["company"]["id"], "starts_on": "2026-01-01"}))
    _created(operator.post(mesh.url("/api/operator/calendar"), timeout=10, json={
        "product_id": product["id"], "version": "2.5", "forecast_on": "2027-04-01"}))
    holder = activate(mesh, company["email"], "Olive")
    offer = holder.get(mesh.url("/api/catalog/services"), params={"q": "Download updates", "per_page": 200},
                       timeout=10).json()["items"]
    service = next(s for s in offer if s["title"] == "Download updates")
    assert holder.post(mesh.url("/api/catalog/subscriptions"), json={"service_id": service["id"]},
                       timeout=10).status_code == 201

    shoot = Photographer(mesh.backend + "-calendar-link")
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, mesh, company["email"], PASSWORD)
    page.goto(mesh.url("/downloads"))
    page.get_by_role("button", name="Get my calendar link").click()
    link = page.locator("#feed-url")
    expect(link).to_be_visible()
    first = link.input_value()
    assert "/feeds/release-calendar/" in first and first.endswith(".ics")
    expect(page.get_by_role("link", name="Add to your calendar")).to_have_attribute("href", "webcal://" + first.split("://", 1)[1])
    shoot(page, "calendar-link-shown")
    feed = requests.get(first, timeout=10)
    assert feed.status_code == 200 and f"Orchard {tag} 2.5" in feed.text
    page.goto(mesh.url("/downloads"))
    expect(page.locator("#feed-url")).to_have_count(0)  # shown once only
    expect(page.locator("#calendar-link")).to_contain_text("You made your link on")
    page.get_by_role("button", name="Renew my calendar link").click()
    second = page.locator("#feed-url").input_value()
    assert second != first
    assert requests.get(first, timeout=10).status_code == 404
    assert requests.get(second, timeout=10).status_code == 200
    shoot(page, "calendar-link-renewed")

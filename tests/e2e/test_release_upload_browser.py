"""The operators' updates page in a real browser through the real mesh: an operator publishes an
update from the form (the file streamed through the gateway to assets), sees it listed with its
downloads, and a holder of "Download updates" whose contract covers the product finds it waiting —
reaching Downloads from the header's SOLUTIONS menu. Screenshots go to PORTAL_SCREENSHOT_DIR."""
from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer, sign_in  # noqa: E402
from management_scene import PASSWORD, activate, register  # noqa: E402

pytestmark = pytest.mark.mesh


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_an_operator_publishes_from_the_page_and_a_holder_sees_it_waiting(mesh, browser, tmp_path):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company = register(mesh, operator, tag, "Garage", "Gaston")
    product = _created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": f"GAR-{tag}", "name_en": "Garage suite", "name_fr": "Suite garage", "kind": "software",
        "brand": "Etafi", "domain": "Retail", "serializable": False, "major_version": 5}))
    _created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
        "company_id": company["company"]["id"], "product_id": product["id"], "quantity": 1}))
    _created(operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
        "company_id": company["company"]["id"], "starts_on": "2026-01-01"}))
    holder = activate(mesh, company["email"], "Gaston")
    offer = holder.get(mesh.url("/api/catalog/services"), params={"q": "Download updates", "per_page": 200},
                       timeout=10).json()["items"]
    service = next(s for s in offer if s["title"] == "Download updates")
    assert holder.post(mesh.url("/api/catalog/subscriptions"), json={"service_id": service["id"]},
                       timeout=10).status_code == 201
    update = tmp_path / f"garage-5.1-{tag}.zip"
    update.write_bytes(os.urandom(2 * 1024 * 1024))

    shoot = Photographer(mesh.backend)
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    sign_in(page, mesh, mesh.operator_email, mesh.operator_password)
    page.goto(mesh.url("/operator/products"))
    page.get_by_role("link", name="Updates").click()
    expect(page.locator("h1")).to_have_text("Updates")
    page.select_option("#product_id", product["id"])
    page.fill("#version", "5.1")
    page.fill("#released_on", "2026-11-28")
    page.fill("#notes_en", "Faster invoices")
    page.fill("#notes_fr", "Factures plus rapides")
    page.set_input_files("#file", str(update))
    shoot(page, "releases-form")
    page.get_by_role("button", name="Publish the update").click()
    expect(page.locator(".alert-success")).to_contain_text("The update has been published")
    row = page.locator("tr", has_text=f"GAR-{tag}").first
    expect(row).to_contain_text("5.1")
    expect(row).to_contain_text("2.0 MiB")
    expect(row.locator(".release-downloads")).to_have_text("0 users, 0 downloads")
    shoot(page, "releases-published")
    desk.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    sign_in(page, mesh, company["email"], PASSWORD)
    page.goto(mesh.url("/"))
    expect(page.locator('[data-count="downloads"] .tile-count')).to_have_text("1")
    page.locator(".space-menu summary", has_text="SOLUTIONS").click()
    shoot(page, "solutions-menu")
    page.locator(".space-menu").get_by_role("link", name="Downloads").click()
    expect(page.locator("h1")).to_have_text("Downloads")
    waiting = page.locator("tr", has_text="Garage suite").first
    expect(waiting).to_contain_text("5.1")
    expect(waiting.locator(".badge-new")).to_have_text("New")
    expect(page.get_by_role("button", name="Get my calendar link")).to_be_visible()
    shoot(page, "downloads-waiting-from-the-page")
    page.locator(".space-menu summary", has_text="SOLUTIONS").click()
    page.locator(".space-menu").get_by_role("link", name="Your IT assets").click()
    expect(page.locator("h1")).to_have_text("Your IT assets")
    expect(page.locator(".inventory-list")).to_contain_text("Garage suite")
    phone.close()

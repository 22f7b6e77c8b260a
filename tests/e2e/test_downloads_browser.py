"""Downloads in a real browser through the real mesh: a company's administrator whose contract
covers a product sees the home tile's waiting count, finds the new update on the Downloads page
(the release calendar below it), downloads it, and the count drops. Screenshots go to
PORTAL_SCREENSHOT_DIR (default var/screenshots)."""
from __future__ import annotations

import hashlib
import os
import re
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


def test_a_user_downloads_a_waiting_update_and_the_home_count_drops(mesh, browser, tmp_path):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company = register(mesh, operator, tag, "Bakery", "Bernard")
    product = _created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": f"BAK-{tag}", "name_en": "Bakery suite", "name_fr": "Suite boulangerie", "kind": "software",
        "brand": "Etafi", "domain": "Retail", "serializable": False, "major_version": 3}))
    _created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
        "company_id": company["company"]["id"], "product_id": product["id"], "quantity": 1}))
    _created(operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
        "company_id": company["company"]["id"], "starts_on": "2026-01-01"}))
    holder = activate(mesh, company["email"], "Bernard")
    offer = holder.get(mesh.url("/api/catalog/services"), params={"q": "Download updates", "per_page": 200},
                       timeout=10).json()["items"]
    service = next(s for s in offer if s["title"] == "Download updates")
    assert holder.post(mesh.url("/api/catalog/subscriptions"), json={"service_id": service["id"]},
                       timeout=10).status_code == 201
    data = os.urandom(300_000)
    _created(operator.post(mesh.url("/api/operator/releases"), timeout=30, data={
        "product_id": product["id"], "version": "3.2", "released_on": "2026-11-20",
        "notes_en": "Faster tills", "notes_fr": "Caisses plus rapides"},
        files={"file": ("bakery-3.2.zip", data, "application/zip")}))
    _created(operator.post(mesh.url("/api/operator/calendar"), timeout=10, json={
        "product_id": product["id"], "version": "4.0", "forecast_on": "2027-06-01"}))

    shoot = Photographer(mesh.backend)
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)  # a phone
    page = context.new_page()
    sign_in(page, mesh, company["email"], PASSWORD)
    page.goto(mesh.url("/"))
    expect(page.locator('[data-count="downloads"] .tile-count')).to_have_text("1")
    shoot(page, "downloads-home-waiting")

    page.get_by_role("link", name=re.compile("^Downloads")).first.click()
    expect(page.locator("h1")).to_have_text("Downloads")
    row = page.locator("tr", has_text="Bakery suite").first
    expect(row.locator(".badge-new")).to_have_text("New")
    expect(page.locator(".calendar-list")).to_contain_text("4.0")
    shoot(page, "downloads-page")
    with page.expect_download() as downloading:
        row.get_by_role("link", name=re.compile("Download")).click()
    saved = tmp_path / "got.zip"
    downloading.value.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()

    page.goto(mesh.url("/"))
    expect(page.locator('[data-count="downloads"] .tile-count')).to_have_text("0")
    page.goto(mesh.url("/downloads"))
    expect(page.locator("tr", has_text="Bakery suite").first.locator(".badge-new")).to_have_count(0)
    expect(page.locator("#waiting-summary")).to_have_text("0 updates waiting to be downloaded.")
    shoot(page, "downloads-after")
    context.close()


def test_an_operator_adds_a_calendar_line_in_the_back_office(mesh, browser):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    product = _created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": f"CAL-{tag}", "name_en": "Calendar suite", "name_fr": "Suite agenda", "kind": "software",
        "brand": "Etafi", "domain": "Retail", "serializable": False, "major_version": 2}))
    shoot = Photographer(mesh.backend)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, mesh, mesh.operator_email, mesh.operator_password)
    page.goto(mesh.url("/operator/calendar"))
    expect(page.locator("h1")).to_have_text("Release calendar")
    page.select_option("#product_id", product["id"])
    page.fill("#version", "2.5")
    page.fill("#forecast_on", "2027-05-04")
    page.get_by_role("button", name="Add the line").click()
    expect(page.locator(".alert-success")).to_have_text("The line has been added to the calendar.")
    expect(page.locator("tr", has_text=f"CAL-{tag}")).to_contain_text("2027-05-04")
    shoot(page, "operator-calendar")
    page.select_option("#product_id", product["id"])
    page.fill("#version", "2.5")
    page.fill("#forecast_on", "2027-05-04")
    page.get_by_role("button", name="Add the line").click()
    expect(page.locator("#version-error")).to_be_visible()
    context.close()
    lines = operator.get(mesh.url("/api/operator/calendar"), params={"product": product["id"]}, timeout=10).json()
    assert [(line["version"], line["forecast_on"]) for line in lines["items"]] == [("2.5", "2027-05-04")]

"""The knowledge base in a real browser through the real mesh: an operator writes an article,
previews it and publishes it from the back office; a reader holding "View FAQs" finds it with an
accent-less plural query, opens it, and its print view has no header, menus nor buttons (media
emulated as print); then says it helped. Screenshots go to PORTAL_SCREENSHOT_DIR."""
from __future__ import annotations

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


def test_an_operator_publishes_and_a_reader_finds_reads_and_prints(mesh, browser):
    tag = uuid.uuid4().hex[:6]
    brand = f"Etafi{tag}"
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company = register(mesh, operator, tag, "Readers", "Rachel")
    assert operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
        "company_id": company["company"]["id"], "starts_on": "2026-01-01"}).status_code == 201
    reader = activate(mesh, company["email"], "Rachel")
    offer = reader.get(mesh.url("/api/catalog/services"), params={"q": "View FAQs", "per_page": 200},
                       timeout=10).json()["items"]
    service = next(s for s in offer if s["title"] == "View FAQs")
    assert reader.post(mesh.url("/api/catalog/subscriptions"), json={"service_id": service["id"]},
                       timeout=10).status_code == 201
    shoot = Photographer(mesh.backend)

    # The operator writes, previews and publishes.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, mesh, mesh.operator_email, mesh.operator_password)
    page.goto(mesh.url("/operator/articles"))
    page.get_by_role("link", name="Write an article").click()
    page.fill("#brand", brand)
    page.fill("#domain", "Accounting")
    page.fill("#title_en", f"Entering journal entries {tag}")
    page.fill("#body_en", "Post each **écriture** from the journal.\n\n<script>alert(1)</script>")
    page.fill("#title_fr", f"Saisir une écriture {tag}")
    page.fill("#body_fr", "Passer chaque **écriture** du journal.")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".article-preview")
    expect(preview.locator("strong").first).to_have_text("écriture")
    expect(preview).to_contain_text("<script>alert(1)</script>")  # shown as text, never run
    shoot(page, "knowledge-operator-preview")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_have_text("The article has been saved as a draft.")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.locator(".alert-success")).to_have_text("The article is published: readers find it now.")
    shoot(page, "knowledge-operator-published")
    context.close()

    # The reader searches without accents, in the plural, and opens it.
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    sign_in(page, mesh, company["email"], PASSWORD)
    page.goto(mesh.url("/"))
    page.get_by_role("navigation", name="Spaces").get_by_role("link", name="KNOWLEDGE BASE").click()
    expect(page.locator("h1")).to_have_text("Knowledge base")
    page.fill("#q", "ecritures")
    page.select_option("#brand", brand)
    page.get_by_role("button", name="Search").click()
    result = page.locator(".search-result").first
    expect(result.locator("mark").first).to_have_text("écriture")
    expect(page.locator(".search-result")).to_have_count(1)
    shoot(page, "knowledge-search")
    result.get_by_role("link", name=re.compile("Entering journal entries")).click()
    expect(page.locator("h1")).to_have_text(f"Entering journal entries {tag}")
    expect(page.locator(".article-facts")).to_contain_text(brand)
    expect(page.locator(".site-header")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".helpful")).to_be_hidden()
    expect(page.locator(".article-body")).to_be_visible()
    assert page.locator("button:visible").count() == 0 and page.locator("nav:visible").count() == 0
    shoot(page, "knowledge-article-print")
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Yes").click()
    expect(page.locator(".helpful .alert-success")).to_have_text("Thank you for your answer.")
    expect(page.get_by_role("button", name="Yes")).to_have_attribute("aria-pressed", "true")
    context.close()
    article_id = page.url.split("/articles/")[1].split("?")[0]
    counts = operator.get(mesh.url(f"/api/operator/articles/{article_id}"), timeout=10).json()["helpful"]
    assert counts == {"yes": 1, "no": 0}

"""The news in a real browser through the real mesh: an operator publishes an item for a product in
the back office (after a preview); the administrator of a company holding it sees the home tile's
count of new items and the item among the latest, opens the news from the header, finds it marked
new, and back home the count is 0; the header opens the product line's space, with the item in its
news; signing in again lands in that space (the company's main line); a user of a company without
the product does not see it, nor the line, and lands home."""
from __future__ import annotations

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


def test_a_targeted_item_is_published_seen_new_and_the_count_drops(mesh, browser):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    holder_company = register(mesh, operator, tag, "Florist", "Flora")
    other_company = register(mesh, operator, tag, "Garage", "Gaston")
    product = _created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": f"FLO-{tag}", "name_en": "Florist suite", "name_fr": "Suite fleuriste", "kind": "software",
        "brand": "Etafi", "domain": "Retail", "serializable": False, "major_version": 1}))
    _created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
        "company_id": holder_company["company"]["id"], "product_id": product["id"], "quantity": 1}))
    holder = activate(mesh, holder_company["email"], "Flora")
    activate(mesh, other_company["email"], "Gaston")
    title = f"Spring release {tag}"
    shoot = Photographer(mesh.backend)

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    sign_in(page, mesh, mesh.operator_email, mesh.operator_password)
    page.goto(mesh.url("/operator/news"))
    expect(page.locator("h1")).to_have_text("News")
    page.select_option("#news-kind", "product")
    page.fill("#title_en", title)
    page.fill("#body_en", "The **spring** release is out.")
    page.fill("#products", product["code"])
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".news-preview strong")).to_have_text("spring")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".alert-success")).to_have_text("The news item has been published.")
    expect(page.locator("tr", has_text=title)).to_contain_text(f"Products: {product['code']}")
    shoot(page, "news-operator-published")
    desk.close()

    new_count = holder.get(mesh.url("/api/knowledge/news"), params={"per_page": 1}, timeout=10).json()[
        "new_since_last_visit"]
    assert new_count >= 1
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    sign_in(page, mesh, holder_company["email"], PASSWORD)
    page.goto(mesh.url("/"))
    expect(page.locator('[data-count="news"] .tile-count')).to_have_text(str(new_count))
    expect(page.locator(".latest-news")).to_contain_text(title)
    shoot(page, "news-home-count")
    page.locator("a.news-link").click()
    expect(page.locator("h1")).to_have_text("News")
    item = page.locator(".news-item", has_text=title)
    expect(item.locator(".badge-new")).to_have_text("New")
    shoot(page, "news-list-new")
    item.get_by_role("link", name=title).click()
    expect(page.locator(".news-body strong")).to_have_text("spring")
    page.goto(mesh.url("/"))
    expect(page.locator('[data-count="news"] .tile-count')).to_have_text("0")
    # The company's product line opens its space from the header, with the item among its news.
    page.locator(".spaces-lines a", has_text="ETAFI").click()
    expect(page.locator("h1")).to_have_text("The Etafi space")
    expect(page.locator("#line-news + ul")).to_contain_text(title)
    shoot(page, "news-line-space")
    page.goto(mesh.url("/news"))
    expect(page.locator(".news-item", has_text=title).locator(".badge-new")).to_have_count(0)
    expect(page.locator("#news-new-summary")).to_have_text("Nothing new since your last visit.")
    phone.close()

    # Signing in without a destination lands in the space of the company's main line.
    again = browser.new_context(viewport={"width": 1280, "height": 900})
    page = again.new_page()
    sign_in(page, mesh, holder_company["email"], PASSWORD)
    expect(page).to_have_url(mesh.url("/spaces/Etafi"))
    expect(page.locator("h1")).to_have_text("The Etafi space")
    page.locator("a.logo").click()
    expect(page).to_have_url(mesh.url("/"))
    again.close()

    outsider = browser.new_context(viewport={"width": 1280, "height": 900})
    page = outsider.new_page()
    sign_in(page, mesh, other_company["email"], PASSWORD)
    expect(page).to_have_url(mesh.url("/"))  # no product line: home
    page.goto(mesh.url("/news"))
    expect(page.locator("h1")).to_have_text("News")
    expect(page.locator("main")).not_to_contain_text(title)
    expect(page.locator(".spaces-lines")).to_have_count(0)  # it holds no product line
    shoot(page, "news-outsider")
    outsider.close()

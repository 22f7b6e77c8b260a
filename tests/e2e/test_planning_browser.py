"""The Planning of services in a real browser through the real mesh: an operator plans a training
for the demo user on the operators' page; the user finds it marked on their month calendar (in
French), opens its details with the .ics link, and reads it on a phone; a colleague (the demo
administrator) sees nothing on their calendar and gets the not-found page for its address.
Screenshots go to PORTAL_SCREENSHOT_DIR."""
from __future__ import annotations

import re
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer  # noqa: E402

pytestmark = pytest.mark.mesh
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def _sign_in(page, mesh, email: str, password: str) -> None:
    page.goto(mesh.url("/login"))
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("h1")).not_to_have_text(re.compile("Sign in|Se connecter"))


def test_a_training_shows_on_its_recipients_calendar_and_not_on_a_colleagues(mesh, browser):
    tag = uuid.uuid4().hex[:6]
    subject = f"Payroll closing {tag}"
    user = mesh.api_login(*mesh.demo["user"]).get(mesh.url("/api/identity/me"), timeout=10).json()
    day = date.today().replace(day=15)
    shoot = Photographer(mesh.backend)

    # The operator plans it on the back office's form (the company first, then the service).
    operator = browser.new_context(viewport=DESKTOP, locale="en-GB").new_page()
    _sign_in(operator, mesh, mesh.operator_email, mesh.operator_password)
    operator.goto(mesh.url(f"/operator/planning/new?company_id={user['company']['id']}"))
    operator.select_option("#recipient_id", user["id"])
    operator.select_option("#kind", "training")
    operator.fill("#starts_at", f"{day.isoformat()}T10:00")
    operator.fill("#ends_at", f"{day.isoformat()}T12:00")
    operator.fill("#subject", subject)
    operator.fill("#meeting_url", "https://meet.example.com/payroll")
    operator.fill("#access_code", "4711")
    shoot(operator, "operator-plans-a-training")
    operator.get_by_role("button", name="Plan the service").click()
    expect(operator.locator(".alert-success")).to_be_visible()
    expect(operator.locator("table.services-list")).to_contain_text(subject)

    page = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    _sign_in(page, mesh, *mesh.demo["user"])
    page.goto(mesh.url("/planning"))
    expect(page.locator("h1")).to_have_text("Planning des prestations")
    cell = page.locator(f"td[data-day='{day.isoformat()}']")
    expect(cell).to_have_class(re.compile("has-service"))
    expect(page.locator(f"td[data-day='{date.today().isoformat()}']")).to_have_attribute("aria-current", "date")
    expect(page.locator("table.services-list")).to_contain_text(subject)
    shoot(page, "planning-month")
    cell.locator("a.service-chip", has_text=subject).click()
    expect(page.locator("h1")).to_contain_text(subject)
    expect(page.locator("dl.service-details")).to_contain_text("Europe/Paris")
    expect(page.locator("dl.service-details")).to_contain_text("10:00")
    expect(page.locator("a[href$='.ics']")).to_be_visible()
    details = page.url
    shoot(page, "planning-details")

    phone = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
    _sign_in(phone, mesh, *mesh.demo["user"])
    phone.goto(mesh.url("/planning"))
    expect(phone.locator(f"td[data-day='{day.isoformat()}'] a.service-chip", has_text=subject)).to_be_visible()
    wide = phone.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376)
        .map(e => e.tagName + '.' + e.className + '#' + e.id + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)""")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, wide
    shoot(phone, "planning-phone")

    colleague = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    _sign_in(colleague, mesh, *mesh.demo["administrator"])
    colleague.goto(mesh.url("/planning"))
    expect(colleague.locator("h1")).to_have_text(re.compile("Planning"))
    expect(colleague.locator("main")).not_to_contain_text(subject)
    answer = colleague.goto(details)
    assert answer.status == 404
    shoot(colleague, "planning-colleague")

"""The declarative portal's sign-in in a real browser through the real mesh: a portal session alone
is sent to the declarative sign-in; a declarant issued by an operator sets the password from the
mailed link (the strong level's rules ticked live), signs in with the login and sees the demo
company's SIREN, then signs out. Pages are photographed to PORTAL_SCREENSHOT_DIR."""
from __future__ import annotations

import re
import sys
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer, sign_in  # noqa: E402

pytestmark = pytest.mark.mesh
# No digits: the login's random hex tag never shares 3 characters with it (the rule checks the login too).
PASSWORD = "Bilan-Annuel-Clos!"
DEMO_SIREN = "123456782"


def _demo_company_id(operator, mesh) -> str:
    found = operator.get(mesh.url("/api/operator/companies"), params={"q": "DEMO-001"}, timeout=10).json()
    return next(company["id"] for company in found["items"] if company["number"] == "DEMO-001")


def test_a_declarant_sets_the_password_signs_in_and_a_portal_session_alone_is_refused(mesh, browser):
    tag = uuid.uuid4().hex[:8]
    shot = Photographer(mesh.backend + "-declarative")
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    login, address = f"web.{tag}", f"web.{tag}@demo.localhost"
    issued = operator.post(mesh.url("/api/operator/declarants"), timeout=10, json={
        "login": login, "role": "declarant", "company_id": _demo_company_id(operator, mesh), "email": address,
        "first_name": "Agathe", "last_name": "Noel", "language": "en"})
    assert issued.status_code == 201, issued.text
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()

    # A portal session opens the portal, never the declarative pages.
    sign_in(page, mesh, *mesh.demo["administrator"])  # English, as the declarant below
    page.wait_for_url(mesh.url("/"))
    page.goto(mesh.url("/declarations"))
    page.wait_for_url(mesh.url("/declarations/signin"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Declarative portal sign-in")
    shot(page, "declarative-signin")

    # The mailed link sets the password, the strong level's rules ticked as one types.
    page.goto(mesh.mailed_link(address, "declarations/password"))
    rules = page.locator("#password-rules")
    save = page.get_by_role("button", name="Save the password")
    page.fill("#password", "Short-1")
    page.fill("#password_confirmation", "Short-1")
    expect(rules.locator('[data-rule="min_length_10"]')).to_have_class(re.compile(r"\brule-unmet\b"))
    expect(save).to_be_disabled()
    page.fill("#password", PASSWORD)
    page.fill("#password_confirmation", PASSWORD)
    expect(save).to_be_enabled()
    shot(page, "declarative-password")
    save.click()
    expect(page.get_by_text("The password is set")).to_be_visible()

    # The login, not the e-mail address, signs in; the landing page shows the entity.
    page.goto(mesh.url("/declarations/signin"))
    page.fill("#login", login)
    page.fill("#password", "Wrong-Guess-2031!")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#sign-in-error")).to_have_text("The login or the password is not correct.")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(mesh.url("/declarations"))
    expect(page.get_by_role("cell", name=DEMO_SIREN)).to_be_visible()
    shot(page, "declarative-home")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(mesh.url("/declarations/signin"))
    page.goto(mesh.url("/declarations"))
    page.wait_for_url(mesh.url("/declarations/signin"))
    context.close()

"""The web pages in a real browser through the real mesh: a new company administrator activates the
account in three steps, signs in (after switching the sign-in page to French), sees the home page
and signs out. Each page is photographed to PORTAL_SCREENSHOT_DIR (default var/screenshots).
"""
from __future__ import annotations

import re
import sys
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer, register_company  # noqa: E402

pytestmark = pytest.mark.mesh
PASSWORD = "Sunny-Harbour-42"


def _rule(page, code: str):
    return page.locator(f'#password-rules [data-rule="{code}"]')


def test_administrator_activates_signs_in_and_signs_out(mesh, browser):
    tag = uuid.uuid4().hex[:8]
    email = f"lovana.{tag}@client.test"
    company = f"Dupont & Fils {tag}"
    shot = Photographer(mesh.backend)
    register_company(mesh, email, tag)
    link = mesh.mailed_link(email, "/activate")

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()

    # Step 1: prefilled with what the operator registered.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate your account")
    expect(page.get_by_text("Step 1/3")).to_be_visible()
    expect(page.locator("#last_name")).to_have_value("Dupont")
    expect(page.locator("#title")).to_have_value("MME")
    expect(page.get_by_text("Data protection", exact=True)).to_be_visible()
    shot(page, "activation-step-1")
    page.get_by_role("button", name="Next").click()

    # Step 2: the e-mail is the login, read-only.
    expect(page.get_by_text("Step 2/3")).to_be_visible()
    expect(page.locator("#email")).to_have_value(email)
    expect(page.locator("#email")).not_to_be_editable()
    page.fill("#function", "Accountant")
    page.fill("#office_phone", "+33 4 72 00 00 00")
    shot(page, "activation-step-2")
    page.get_by_role("button", name="Next").click()

    # Step 3: the rules tick as they are met; Validate waits for all of them and the confirmation.
    expect(page.get_by_text("Step 3/3")).to_be_visible()
    validate = page.get_by_role("button", name="Validate")
    expect(validate).to_be_disabled()
    page.locator("#password").press_sequentially("lovana")
    expect(_rule(page, "min_length_8")).to_have_class(re.compile(r"\brule-unmet\b"))
    expect(_rule(page, "no_part_of_name")).to_have_class(re.compile(r"\brule-unmet\b"))
    expect(_rule(page, "three_character_classes")).to_have_class(re.compile(r"\brule-unmet\b"))
    shot(page, "activation-step-3-rules-unmet")
    page.fill("#password", PASSWORD)
    for code in ("min_length_8", "three_character_classes", "no_part_of_name", "not_email"):
        expect(_rule(page, code)).to_have_class(re.compile(r"\brule-met\b"))
    expect(_rule(page, "passwords_match")).to_have_class(re.compile(r"\brule-unmet\b"))
    expect(validate).to_be_disabled()
    page.fill("#password_confirmation", PASSWORD)
    expect(_rule(page, "passwords_match")).to_have_class(re.compile(r"\brule-met\b"))
    expect(validate).to_be_enabled()
    shot(page, "activation-step-3-rules-met")
    validate.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is active")
    shot(page, "activation-done")

    # The link is spent.
    answer = page.goto(link)
    assert answer.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("This activation link can no longer be used")
    shot(page, "activation-link-used")

    # Before signing in, the visitor switches to French.
    page.goto(mesh.base_url + "/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    shot(page, "sign-in")
    page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    expect(page.get_by_role("link", name="Mot de passe oublié")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.fill("#email", email)
    page.fill("#password", "not the password")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("L'adresse e-mail ou le mot de passe est incorrect.")
    shot(page, "sign-in-fr-refused")

    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    # Home, in the profile's language (English), with the company, and the administration space
    # at once: the activation answered only once the right was in force.
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Lovana Dupont")
    expect(page.get_by_text(company, exact=True)).to_be_visible()
    # Only the pages that exist have a tile (no dead links).
    expect(page.get_by_role("link", name=re.compile("My profile"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Downloads"))).to_have_count(0)
    expect(page.get_by_role("link", name="ADMINISTRATION")).to_be_visible(timeout=1000)
    shot(page, "home")

    # The name opens the menu; Sign out ends the session.
    page.locator(".user-menu summary").click()
    expect(page.get_by_role("link", name="My profile", exact=True)).to_be_visible()
    shot(page, "user-menu")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(mesh.base_url + "/login")
    page.goto(mesh.base_url + "/")
    expect(page).to_have_url(mesh.base_url + "/login")
    shot(page, "signed-out")

    page.goto(mesh.base_url + "/no/such/page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    shot(page, "not-found")
    context.close()

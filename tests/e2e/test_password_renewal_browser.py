"""The renewal of an expired password in a real browser through the real mesh: a user of the demo
company whose level the administrator raised to strong is sent from the sign-in page to the renewal
page, which ticks that level's rules against their names as they type, then takes a strong one. Pages are
photographed to PORTAL_SCREENSHOT_DIR (default var/screenshots).
"""
from __future__ import annotations

import re
import sys
import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer, sign_in  # noqa: E402

pytestmark = pytest.mark.mesh
OLD_PASSWORD = "orchardlights"      # enough at the weak level: at least 8 characters, not common
TOO_SHORT = "Tulip-42x"             # moderate, but 9 characters where the strong level wants 10
NAMED = "Berger-Tulip-42"           # long enough, but holds "Ber" of the last name
NEW_PASSWORD = "Silver-Kettle-58"   # strong: 16 characters, 4 classes, nothing of "Camille Berger"


def _user_due_for_renewal(mesh, tag: str) -> str:
    """A new weak-level user of the demo company, activated, whose level the administrator then raises."""
    administrator = mesh.api_login(*mesh.demo["administrator"])  # the mesh starts with the demo in force
    email = f"camille.{tag}@demo.localhost"
    created = administrator.post(mesh.url("/api/identity/users"), timeout=10, json={
        "email": email, "title": "MME", "last_name": "Berger", "first_name": "Camille", "language": "en",
        "function": "Buyer", "office_phone": "", "mobile_phone": "", "security_level": 1})
    assert created.status_code == 201, created.text
    token = mesh.mailed_link(email, "/activate").rsplit("/", 1)[1]
    activated = requests.post(mesh.url(f"/api/auth/activation/{token}"), timeout=10, json={
        "title": "MME", "first_name": "Camille", "last_name": "Berger", "language": "en", "function": "Buyer",
        "office_phone": "", "mobile_phone": "", "password": OLD_PASSWORD})
    assert activated.status_code == 200, activated.text
    raised = administrator.patch(mesh.url(f"/api/identity/users/{created.json()['id']}"),
                                 json={"security_level": 3}, timeout=10)
    assert raised.status_code == 200 and raised.json()["security_level"] == 3, raised.text
    return email


def _api_sign_in(mesh, email: str, password: str) -> requests.Response:
    return requests.post(mesh.url("/api/auth/login"), json={"email": email, "password": password}, timeout=10)


def test_raised_level_sends_the_user_to_renew_the_password_at_sign_in(mesh, browser):
    """A raised security level makes sign-in demand a new password meeting that level's rules; the old one dies."""
    tag = uuid.uuid4().hex[:8]
    shot = Photographer(mesh.backend + "-renewal")
    email = _user_due_for_renewal(mesh, tag)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()

    # The old password still signs in, but only onto the renewal page.
    sign_in(page, mesh, email, OLD_PASSWORD)
    page.wait_for_url(mesh.url("/password/renew"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has expired")
    expect(page.get_by_text("Camille Berger, for your security choose a new password")).to_be_visible()
    rules = page.locator("#password-rules")
    expect(rules).to_contain_text("Your password must meet these rules:")
    expect(rules.locator('[data-rule="three_character_classes"]')).to_be_visible()
    save = page.get_by_role("button", name="Save the new password")
    expect(save).to_be_disabled()
    # The rules tick as one types.
    page.fill("#current_password", OLD_PASSWORD)
    page.locator("#password").press_sequentially("tulip")
    expect(rules.locator('[data-rule="three_character_classes"]')).to_have_class(re.compile(r"\brule-unmet\b"))
    shot(page, "password-renew")

    # The page knows the user's level and names: it ticks the strong level's rules, and keeps
    # the button off while one is broken.
    page.fill("#password", TOO_SHORT)
    page.fill("#password_confirmation", TOO_SHORT)
    expect(rules.locator('[data-rule="min_length_10"]')).to_have_class(re.compile(r"\brule-unmet\b"))
    expect(save).to_be_disabled()
    page.fill("#password", NAMED)
    page.fill("#password_confirmation", NAMED)
    expect(rules.locator('[data-rule="min_length_10"]')).to_have_class(re.compile(r"\brule-met\b"))
    expect(rules.locator('[data-rule="no_part_of_name"]')).to_have_class(re.compile(r"\brule-unmet\b"))
    expect(save).to_be_disabled()
    shot(page, "password-renew-strong-rules")

    # A strong password is taken; the user signs in again with it and reaches the home page.
    page.fill("#current_password", OLD_PASSWORD)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#password_confirmation", NEW_PASSWORD)
    expect(rules.locator('[data-rule="passwords_match"]')).to_have_class(re.compile(r"\brule-met\b"))
    save.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    shot(page, "password-renew-done")
    page.get_by_role("link", name="Sign in", exact=True).click()
    page.wait_for_url(mesh.url("/login"))
    sign_in(page, mesh, email, NEW_PASSWORD)
    # The demo company may hold a product line (other tests give it one): then the user lands in its
    # space, and the logo leads home.
    expect(page).not_to_have_url(re.compile(r"/login"))
    page.locator("a.logo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Camille Berger")
    shot(page, "home-after-renewal")
    page.goto(mesh.url("/profile"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    expect(page.get_by_text(email).first).to_be_visible()
    context.close()

    # The old password no longer signs in; the new one does (200: a full session, not a renewal).
    assert _api_sign_in(mesh, email, OLD_PASSWORD).status_code == 401
    answer = _api_sign_in(mesh, email, NEW_PASSWORD)
    assert answer.status_code == 200 and answer.json()["user"]["security_level"] == 3, answer.text

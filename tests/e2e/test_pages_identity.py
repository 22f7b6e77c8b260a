"""The account and administration pages in a real browser through the real mesh: lockout, forgotten
password → mail → reset → sign-in, the profile, and a CSV import (dry run, then for good) whose users
appear in the list. Pages are photographed to PORTAL_SCREENSHOT_DIR (default var/screenshots).
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
from browsing import Photographer, register_company, sign_in  # noqa: E402

pytestmark = pytest.mark.mesh
PASSWORD = "Sunny-Harbour-42"
NEW_PASSWORD = "Quiet-Meadow-77"
THIRD_PASSWORD = "Amber-Lantern-31"


def _activated_account(mesh, tag: str) -> str:
    """A new company's administrator, activated through the API (moderate level: 5 tries)."""
    email = f"lovana.{tag}@client.test"
    register_company(mesh, email, tag)
    token = mesh.mailed_link(email, "/activate").rsplit("/", 1)[1]
    answer = requests.post(f"{mesh.base_url}/api/auth/activation/{token}", json={
        "title": "MME", "first_name": "Lovana", "last_name": "Dupont", "language": "en", "function": "",
        "office_phone": "", "mobile_phone": "", "password": PASSWORD}, timeout=10)
    assert answer.status_code == 200, answer.text
    return email


def test_lockout_then_forgotten_password_reset_and_sign_in(mesh, browser):  
    tag = uuid.uuid4().hex[:8]
    shot = Photographer(mesh.backend + "-identity")
    email = _activated_account(mesh, tag)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()

    # Five wrong passwords lock a moderate account; then even the right one is refused.
    for _ in range(5):
        sign_in(page, mesh, email, "Wrong-Password-1")
        expect(page.get_by_role("alert")).to_contain_text("not correct")
    sign_in(page, mesh, email, PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("Your account is locked")
    shot(page, "sign-in-locked")

    # Forgotten password: the mail's link opens the reset page, whose rules tick as one types.
    page.get_by_role("link", name="Forgotten password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgotten password")
    page.fill("#email", email)
    shot(page, "password-forgot")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your mailbox")
    shot(page, "password-forgot-sent")
    link = mesh.mailed_link(email, "/password/reset")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    save = page.get_by_role("button", name="Save the new password")
    expect(save).to_be_disabled()
    page.locator("#password").press_sequentially("dupont")
    expect(page.locator('[data-rule="no_part_of_name"]')).to_have_class(re.compile(r"\brule-unmet\b"))
    page.fill("#password", NEW_PASSWORD)
    page.fill("#password_confirmation", NEW_PASSWORD)
    expect(save).to_be_enabled()
    shot(page, "password-reset")
    save.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    shot(page, "password-reset-done")
    assert page.goto(link).status == 410  # single use

    # The reset lifted the lock: the new password signs in, the old one no longer.
    sign_in(page, mesh, email, PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("not correct")
    sign_in(page, mesh, email, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Lovana Dupont")

    # The profile shows the last sign-ins (the failures too) and the administrators.
    page.get_by_role("link", name=re.compile("My profile")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    expect(page.locator(".audits li").first).to_contain_text("Signed in")
    expect(page.locator(".audit-failed").first).to_be_visible()
    expect(page.get_by_text(email).first).to_be_visible()
    shot(page, "profile")

    # Change the password from the profile; the rules tick live here too.
    page.get_by_role("link", name="Change my password").click()
    page.fill("#current_password", NEW_PASSWORD)
    page.fill("#password", THIRD_PASSWORD)
    page.fill("#password_confirmation", THIRD_PASSWORD)
    expect(page.locator('[data-rule="passwords_match"]')).to_have_class(re.compile(r"\brule-met\b"))
    shot(page, "profile-password")
    page.get_by_role("button", name="Change my password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password has been changed")

    # Change the e-mail address: the link goes to the new one, which is the login once confirmed.
    new_email = f"lovana.new.{tag}@client.test"
    page.get_by_role("link", name="Email change").click()
    page.fill("#new_email", new_email)
    shot(page, "profile-email")
    page.get_by_role("button", name="Send the confirmation link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your new address")
    # The current address hears of the request at once (a stolen session could be behind it).
    assert mesh.wait_for_mail(email, subject="A new e-mail address was asked for your client portal account")
    page.goto(mesh.mailed_link(new_email, "/email-change"))
    shot(page, "email-change-confirm")
    page.get_by_role("button", name="Confirm the new address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your e-mail address has changed")
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, mesh, email, THIRD_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("not correct")
    sign_in(page, mesh, new_email, THIRD_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Lovana Dupont")
    context.close()


def test_import_through_the_pages(mesh, browser, tmp_path):  
    tag = uuid.uuid4().hex[:8]
    shot = Photographer(mesh.backend + "-import")
    email, password = mesh.demo["administrator"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    sign_in(page, mesh, email, password)
    # The demo company may hold a product line (other tests give it one): then the administrator
    # lands in its space, and the logo leads home.
    expect(page).not_to_have_url(re.compile(r"/login"))
    page.locator("a.logo").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    # The mesh starts with the demo administrator's right in force: the Users tile is there.
    expect(page.get_by_role("link", name=re.compile("^Users"))).to_be_visible()
    shot(page, "home-administrator")
    page.get_by_role("link", name=re.compile("^Users")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    expect(page.get_by_text(re.compile(r"Displaying items 1 - \d+ of \d+"))).to_be_visible()
    shot(page, "users-list")

    csv_file = tmp_path / "users.csv"
    csv_file.write_text(
        "Civility;Last name;First name;Email address;Phone;Mobile;Language code;Security level\n"
        f"MME;Leroy;Emma;emma.{tag}@client.test;;;fr-FR;2\n"
        f"M;Moreau;Hugo;hugo.{tag}@client.test;+33 1 00 00 00 00;;en-US;1\n"
        f"X;Faure;Nina;nina.{tag}@client.test;;;fr;2\n"
        "M;Blanc;Leo;not-an-address;;;fr;2\n", encoding="utf-8")
    page.get_by_role("link", name="Import users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import users")
    page.set_input_files("#file", str(csv_file))
    shot(page, "import-form")
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.locator(".row-accepted")).to_have_count(2)
    expect(page.locator(".row-refused")).to_have_count(2)
    shot(page, "import-preview")

    # Nothing was created by the dry run.
    other = context.new_page()
    other.goto(mesh.base_url + f"/administration/users?q={tag}")
    expect(other.get_by_text("No user matches these criteria.")).to_be_visible()
    other.close()
    page.get_by_role("button", name="Import the 2 users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import report")
    expect(page.locator(".import-state")).to_contain_text("finished", timeout=30_000)
    expect(page.get_by_text("users created, activation e-mails sent")).to_be_visible()
    shot(page, "import-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the refused lines").click()
    refused = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "not-an-address" in refused and "Faure" in refused and "Leroy" not in refused

    page.get_by_role("link", name="Go to the users list").click()
    page.fill("#q", tag)
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Displaying items 1 - 2 of 2")).to_be_visible()
    expect(page.get_by_role("link", name="Emma Leroy", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Hugo Moreau", exact=True)).to_be_visible()
    shot(page, "users-imported")

    # The phone layout of the list.
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "users-phone")
    context.close()


def test_administrator_adds_groups_and_deletes_a_user(mesh, browser):  
    tag = uuid.uuid4().hex[:8]
    shot = Photographer(mesh.backend + "-admin")
    email, password = mesh.demo["administrator"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    sign_in(page, mesh, email, password)
    page.goto(mesh.base_url + "/administration/users/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a user")
    new_email = f"marc.{tag}@client.test"
    page.fill("#email", new_email)
    page.select_option("#title", "M")
    page.fill("#last_name", "Roux")
    page.fill("#first_name", "Marc")
    page.select_option("#language", "fr")
    page.select_option("#security_level", "3")
    shot(page, "user-new")
    page.get_by_role("button", name="Add the user").click()
    expect(page.get_by_role("status")).to_contain_text("The user has been created")
    first_link = mesh.mailed_link(new_email, "/activate")

    # Not activated yet: selected, it gets its activation e-mail again.
    page.goto(mesh.base_url + f"/administration/users?q={tag}")
    expect(page.locator("table .status-not_activated")).to_have_count(1)
    page.get_by_label("Select Marc Roux").check()
    page.get_by_role("button", name="Send the activation e-mail").click()
    expect(page.get_by_role("status")).to_contain_text("1 activation e-mail sent.")
    assert mesh.mailed_link(new_email, "/activate", nth=2) != first_link  # a new link

    # A group, with Marc in it; the list filters on it.
    page.goto(mesh.base_url + "/administration/groups")
    page.fill("#name", f"Buyers {tag}")
    page.get_by_role("button", name="Create the group").click()
    expect(page.get_by_role("status")).to_contain_text("The group has been created.")
    page.get_by_role("link", name=f"Buyers {tag}", exact=True).click()
    page.fill("#q", tag)
    page.get_by_role("button", name="Search").click()
    page.get_by_label(re.compile("Marc Roux")).check()
    page.get_by_role("button", name="Add to the group").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Members"))).to_contain_text("(1)")
    shot(page, "group")
    page.get_by_role("link", name="Users", exact=True).first.click()
    page.select_option("#group", label=f"Buyers {tag}")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Displaying items 1 - 1 of 1")).to_be_visible()

    # Delete, after confirming.
    page.get_by_role("link", name="Delete Marc Roux").click()
    shot(page, "user-delete")
    page.get_by_role("button", name="Delete the user").click()
    expect(page.get_by_role("status")).to_contain_text("The user has been deleted")
    page.goto(mesh.base_url + f"/administration/users?q={tag}")
    expect(page.get_by_text("No user matches these criteria.")).to_be_visible()
    context.close()

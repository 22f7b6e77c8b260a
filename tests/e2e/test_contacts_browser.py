"""Contacts and access requests in a real browser through the real mesh.

The demo administrator names the demo user payroll contact and gives him an interest; the operator
reads it on the company's contacts page, and the user finds the subscription in My services. An
access request filed from the sign-in page reaches the administrator by mail, is accepted on the
page and the new user activates through the activation mail; another is refused and its requester
gets the refusal mail. Screenshots go to PORTAL_SCREENSHOT_DIR (default var/screenshots).
"""
from __future__ import annotations

import re
import sys
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer  # noqa: E402
from meshtools import mail_text  # noqa: E402

pytestmark = pytest.mark.mesh

INTEREST_CODE = "functional-preference-accounting"
INTEREST_EN, INTEREST_FR = "Functional preference: Accounting", "Préférence fonctionnelle : Comptabilité"
PASSWORD = "Blue-Harbour-2026!"  # no part of the names: the moderate level refuses that
DESKTOP = {"width": 1280, "height": 900}


def _sign_in(page, mesh, email: str, password: str) -> None:
    page.goto(mesh.url("/login"))
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("h1")).not_to_have_text(re.compile("Sign in|Se connecter"))


def _start_clean(mesh) -> tuple[str, str]:
    """The demo user holds no role and not the interest (the mesh is shared by the tests)."""
    admin = mesh.api_login(*mesh.demo["administrator"])
    company_id = admin.get(mesh.url("/api/identity/me"), timeout=10).json()["company"]["id"]
    users = admin.get(mesh.url("/api/identity/users"), params={"q": "Bruno Petit"}, timeout=10).json()["items"]
    user_id = users[0]["id"]
    assert admin.put(mesh.url(f"/api/identity/contacts/{user_id}/roles"), json={"roles": []},
                     timeout=10).status_code == 200
    held = admin.get(mesh.url("/api/catalog/subscriptions"), params={"user_id": user_id, "status": "accepted",
                                                                      "per_page": 200}, timeout=10).json()["items"]
    for item in held:
        if item["service_code"] == INTEREST_CODE:
            assert admin.delete(mesh.url(f"/api/catalog/subscriptions/{item['id']}"), timeout=10).status_code == 204
    return company_id, user_id


def test_administrator_names_the_payroll_contact_and_the_operator_sees_it(mesh, browser):
    shot = Photographer(mesh.backend + "-contacts")
    company_id, user_id = _start_clean(mesh)
    admin_email, admin_password = mesh.demo["administrator"]

    admin = browser.new_context(viewport=DESKTOP, locale="en-US").new_page()
    _sign_in(admin, mesh, admin_email, admin_password)
    admin.goto(mesh.url("/administration/users"))
    admin.get_by_role("navigation", name="Management Center").get_by_role("link", name="Contacts").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Contacts")
    row = admin.locator("tr", has_text="Bruno Petit")
    shot(admin, "admin-contacts")
    row.get_by_role("link", name="Modify the roles and interests of Bruno Petit").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Contact: Bruno Petit")
    admin.get_by_label("Payroll contact").check()
    interest = admin.get_by_label(INTEREST_EN)
    expect(interest).not_to_be_checked()
    interest.check()
    shot(admin, "admin-contact-form")
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_role("status")).to_contain_text("The contact has been saved.")
    row = admin.locator("tr", has_text="Bruno Petit")
    expect(row).to_contain_text("Payroll contact")
    expect(row).to_contain_text(INTEREST_EN)
    shot(admin, "admin-contacts-saved")
    trail = mesh.api_login(admin_email, admin_password).get(
        mesh.url("/api/identity/administration-audits"), params={"target_id": user_id}, timeout=10).json()["items"]
    assert {"contact_roles_changed", "interest_set"} <= {entry["action"] for entry in trail[:2]}

    # The operator reads it on the company's contacts page.
    operator = browser.new_context(viewport=DESKTOP, locale="en-US").new_page()
    _sign_in(operator, mesh, mesh.operator_email, mesh.operator_password)
    operator.goto(mesh.url(f"/operator/companies/{company_id}/contacts"))
    expect(operator.get_by_role("heading", level=1)).to_have_text("Contacts of Demo Company")
    operator.select_option("#role", "payroll")
    operator.get_by_role("button", name="Filter").click()
    row = operator.locator("tr", has_text="Bruno Petit")
    expect(row).to_contain_text("Payroll contact")
    expect(row).to_contain_text(INTEREST_EN)
    shot(operator, "operator-contacts")
    # Not a page for a company's administrator.
    assert admin.goto(mesh.url(f"/operator/companies/{company_id}/contacts")).status == 403

    # The user finds the subscription in My services.
    user = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    _sign_in(user, mesh, *mesh.demo["user"])
    user.goto(mesh.url("/services"))
    expect(user.locator("tr", has_text=INTEREST_FR)).to_be_visible()
    shot(user, "user-my-services")

    # Unticking the interest cancels the subscription, and the contacts page says so at once.
    admin.goto(mesh.url(f"/administration/contacts/{user_id}"))
    admin.get_by_label(INTEREST_EN).uncheck()
    admin.get_by_role("button", name="Save").click()
    expect(admin.locator("tr", has_text="Bruno Petit")).not_to_contain_text(INTEREST_EN)


def _file_request(page, mesh, email: str, company: str, first_name: str, french: bool = False) -> None:
    page.goto(mesh.url("/login"))
    page.get_by_role("link", name="Identifiants perdus ? Demandez un accès" if french
                     else "Lost credentials? Ask for access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demander un accès" if french else "Ask for access")
    page.fill("#first_name", first_name)
    page.fill("#last_name", "Morel")
    page.fill("#email", email)
    page.fill("#company", company)
    page.fill("#phone", "+33 1 23 45 67 89")
    page.fill("#message", "I joined the accounting team this week.")
    page.get_by_role("button", name="Envoyer la demande" if french else "Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Votre demande a été envoyée" if french else "Your request has been sent")


def _request_card(page, email: str):
    return page.locator("article.access-request", has_text=email)


def test_an_access_request_is_accepted_and_the_new_user_activates(mesh, browser):
    shot = Photographer(mesh.backend + "-access")
    admin_email, admin_password = mesh.demo["administrator"]
    email = f"nina.{uuid.uuid4().hex[:8]}@demo.localhost"
    page_link = f"{mesh.base_url}/administration/access-requests"
    before = sum(page_link in mail_text(mail) for mail in mesh.mails_to(admin_email))

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", is_mobile=True).new_page()
    phone.goto(mesh.url("/access-request"))
    expect(phone.get_by_label("Company number or name")).to_be_visible()
    shot(phone, "phone-request-form")
    requester = browser.new_context(viewport=DESKTOP, locale="en-US").new_page()
    _file_request(requester, mesh, email, "DEMO-001", "Nina")
    shot(requester, "request-sent")

    mail = mesh.wait_for_mail(admin_email, containing=page_link, nth=before + 1)
    assert email in mail_text(mail) and "I joined the accounting team" in mail_text(mail)

    admin = browser.new_context(viewport=DESKTOP, locale="en-US").new_page()
    admin.goto(page_link)
    admin.fill("#email", admin_email)
    admin.fill("#password", admin_password)
    admin.get_by_role("button", name="Sign in").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Access requests")
    expect(admin.get_by_role("navigation", name="Management Center").get_by_role(
        "link", name=re.compile(r"Access requests \d+"))).to_be_visible()
    card = _request_card(admin, email)
    expect(card).to_contain_text("Nina Morel")
    expect(card).to_contain_text("DEMO-001")
    shot(admin, "admin-access-requests")
    card.get_by_role("button", name=re.compile("^Accept and create the account")).click()
    expect(admin.get_by_role("status")).to_contain_text("The account has been created")
    expect(_request_card(admin, email)).to_have_count(0)

    # The new user activates through the activation mail.
    link = mesh.mailed_link(email, "/activate")
    requester.goto(link)
    expect(requester.get_by_text("Step 1/3")).to_be_visible()
    expect(requester.locator("#first_name")).to_have_value("Nina")
    requester.get_by_role("button", name="Next").click()
    expect(requester.locator("#email")).to_have_value(email)
    requester.get_by_role("button", name="Next").click()
    requester.fill("#password", PASSWORD)
    requester.fill("#password_confirmation", PASSWORD)
    requester.get_by_role("button", name="Validate").click()
    expect(requester.get_by_role("heading", level=1)).to_have_text("Your account is active")
    shot(requester, "requester-activated")
    _sign_in(requester, mesh, email, PASSWORD)
    expect(requester.locator(".user-name")).to_have_text("Nina Morel")


def test_a_refused_access_request_is_mailed_to_its_requester(mesh, browser):
    shot = Photographer(mesh.backend + "-access-refused")
    admin_email, admin_password = mesh.demo["administrator"]
    email = f"paul.{uuid.uuid4().hex[:8]}@elsewhere.test"

    requester = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    requester.goto(mesh.url("/login"))
    requester.get_by_role("button", name="Français").click()
    _file_request(requester, mesh, email, "Demo Company", "Paul", french=True)

    admin = browser.new_context(viewport=DESKTOP, locale="en-US").new_page()
    _sign_in(admin, mesh, admin_email, admin_password)
    admin.goto(mesh.url("/administration/access-requests"))
    card = _request_card(admin, email)
    card.get_by_label("Reason (optional, sent to the requester)").fill("We do not know you.")
    card.get_by_role("button", name=re.compile("^Refuse")).click()
    expect(admin.get_by_role("status")).to_contain_text("The request has been refused")
    shot(admin, "admin-refused")

    mail = mesh.wait_for_mail(email, subject="Votre demande de compte du portail client")
    text = " ".join(mail_text(mail).split())  # the plain text is wrapped at 72 columns
    assert "We do not know you." in text and "n’a pas été acceptée" in text

"""The catalog pages in a real browser through the real mesh: the demo company's plain user asks for a
service that needs validation, the administrator follows the mail's link to the requests to validate and
accepts it, and the user's "My services" shows it granted. Screenshots go to PORTAL_SCREENSHOT_DIR
(default var/screenshots), on a desktop and a phone viewport.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer  # noqa: E402
from meshtools import mail_text  # noqa: E402

pytestmark = pytest.mark.mesh

SERVICE_CODE = "store-distributor-service"
SERVICE_EN, SERVICE_FR = "Store distributor service", "Service distributeur de la boutique"
PHONE = {"width": 390, "height": 844}


def _sign_in(page, mesh, email: str, password: str) -> None:
    page.goto(mesh.url("/login"))
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("h1")).not_to_have_text(re.compile("Sign in|Se connecter"))


def _no_live_request(mesh) -> None:
    """Start from a user who neither holds nor asks for the service (the mesh may be shared)."""
    user = mesh.api_login(*mesh.demo["user"])
    for status in ("pending", "accepted"):
        answer = user.get(mesh.url("/api/catalog/subscriptions"), params={"status": status, "per_page": 200}, timeout=10)
        assert answer.status_code == 200, answer.text
        for item in answer.json()["items"]:
            if item["service_code"] == SERVICE_CODE:
                assert user.delete(mesh.url(f"/api/catalog/subscriptions/{item['id']}"), timeout=10).status_code == 204


def _requests_mails(mesh, administrator: str) -> int:
    return sum(f"{mesh.base_url}/administration/requests" in mail_text(mail) for mail in mesh.mails_to(administrator))


def _requests_link(mesh, administrator: str, before: int) -> str:
    """The link of the next mail that sends the administrator to the requests to validate."""
    mail = mesh.wait_for_mail(administrator, containing=f"{mesh.base_url}/administration/requests", nth=before + 1)
    text = mail_text(mail)
    match = re.search(re.escape(mesh.base_url) + r"/administration/requests\b", text)
    assert match, text
    return match.group(0)


def test_user_asks_administrator_accepts_user_holds(mesh, browser):
    shot = Photographer(mesh.backend + "-catalog")
    user_email, user_password = mesh.demo["user"]
    admin_email, admin_password = mesh.demo["administrator"]
    _no_live_request(mesh)
    mails_before = _requests_mails(mesh, admin_email)

    # The plain user (French profile) finds the service in the catalog and asks for it.
    user = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    _sign_in(user, mesh, user_email, user_password)
    user.get_by_role("link", name=re.compile("Mes services")).first.click()
    expect(user.get_by_role("heading", level=1)).to_have_text("Mes services")
    user.get_by_role("link", name="Catalogue des services").click()
    expect(user.get_by_role("heading", level=1)).to_have_text("Catalogue des services")
    user.fill("#q", "distributeur")
    user.get_by_role("button", name="Filtrer").click()
    row = user.locator("tr", has_text=SERVICE_FR)
    expect(row).to_contain_text("Soumis à validation")
    shot(user, "user-catalog")
    user.get_by_label(SERVICE_FR).check()
    user.get_by_role("button", name="S'abonner").click()
    expect(user.get_by_role("heading", name="En attente de validation")).to_be_visible()
    expect(user.locator(".outcome-pending")).to_contain_text(SERVICE_FR)
    shot(user, "user-subscribed-pending")

    user.goto(mesh.url("/services?status=pending"))
    expect(user.locator("tr", has_text=SERVICE_FR)).to_contain_text("En attente de validation")
    shot(user, "user-my-services-pending")

    # The administrator is mailed; the link opens the requests to validate (after signing in).
    link = _requests_link(mesh, admin_email, mails_before)
    admin = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US").new_page()
    admin.goto(link)
    expect(admin).to_have_url(re.compile(r"/login\?next="))
    admin.fill("#email", admin_email)
    admin.fill("#password", admin_password)
    admin.get_by_role("button", name="Sign in").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Requests to validate")
    expect(admin.get_by_role("link", name="ADMINISTRATION")).to_be_visible()
    request_row = admin.locator("tr", has_text=SERVICE_EN).filter(has_text="Bruno Petit")
    expect(request_row).to_contain_text("Demo Company")
    shot(admin, "admin-requests")
    admin_phone = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True).new_page()
    _sign_in(admin_phone, mesh, admin_email, admin_password)
    admin_phone.goto(mesh.url("/administration/requests"))
    expect(admin_phone.locator("tr", has_text=SERVICE_EN)).to_be_visible()
    shot(admin_phone, "phone-requests")
    request_row.get_by_role("button", name=re.compile("^Accept")).click()
    expect(admin.get_by_role("status")).to_contain_text("The request has been accepted")
    shot(admin, "admin-request-accepted")

    # The administrators' catalog with the user picked: the user now holds the service.
    admin.get_by_role("navigation", name="Management Center").get_by_role("link", name="Services catalog").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Services catalog")
    admin.select_option("#user", admin.locator("#user option", has_text="Bruno Petit").get_attribute("value"))
    admin.select_option("#family", "Management")
    admin.get_by_role("button", name="Filter").click()
    expect(admin).to_have_url(re.compile(r"/administration/catalog\?.*user="))
    expect(admin.get_by_role("heading", name="Subscriptions of Bruno Petit")).to_be_visible()
    held = admin.locator("table.admin-catalog-list tbody tr", has_text=SERVICE_EN)
    expect(held).to_contain_text("Accepted")
    held.locator("summary").click()
    expect(held.get_by_role("button", name="Save")).to_be_visible()
    shot(admin, "admin-catalog-user-picked")
    admin.goto(mesh.url("/profile"))
    expect(admin.get_by_role("heading", name="Services catalog")).to_be_visible()
    shot(admin, "admin-profile-dashboard")

    # The user's "My services" shows it granted at once; it makes no administrator of them.
    user.goto(mesh.url("/services"))
    expect(user.locator("tr", has_text=SERVICE_FR)).to_contain_text("Accepté")
    expect(user.locator("header")).not_to_contain_text("ADMINISTRATION")
    shot(user, "user-my-services-accepted")
    user.goto(mesh.url("/profile"))
    expect(user.get_by_role("heading", name="Mes services")).to_be_visible()
    shot(user, "user-profile-dashboard")

    # On a phone: the lists turn into cards.
    phone = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True).new_page()
    _sign_in(phone, mesh, user_email, user_password)
    phone.goto(mesh.url("/services"))
    expect(phone.locator("tr", has_text=SERVICE_FR)).to_be_visible()
    shot(phone, "phone-my-services")
    phone.goto(mesh.url("/services/catalog"))
    shot(phone, "phone-catalog")
    admin_phone.goto(mesh.url("/administration/catalog"))
    admin_phone.locator("details.submenu summary").first.click()
    shot(admin_phone, "phone-admin-catalog")
    for page in (user, admin, phone, admin_phone):
        page.context.close()

"""The Management Center of issue 10 in a real browser through the real mesh: a supervisor picks an
associate on the third-party associates screen, adds a user there and sends them the activation
mail; the associate's administrator finds their supervisor on the Administrators page; the demo
user (French) switches a notification off and it is gone from their services, then on again; an
administrator's home counts a pending request and a user waiting for activation.
"""
from __future__ import annotations

import re
import sys
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer, sign_in  # noqa: E402
from management_scene import PASSWORD, activate, register, supervision_tree  # noqa: E402
from meshtools import mail_text  # noqa: E402

pytestmark = pytest.mark.mesh

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
FAQ_EN = "Notification on new FAQ published"
FAQ_FR = "Notification de la publication d'une nouvelle FAQ"


def test_a_supervisor_adds_a_user_to_an_associate_and_sends_the_activation_mail(mesh, browser):
    shot = Photographer(mesh.backend + "-associates")
    tag = uuid.uuid4().hex[:6]
    tree = supervision_tree(mesh, tag)
    shop_name = tree["shop"]["company"]["name"]
    page = browser.new_context(viewport=DESKTOP, locale="en-US").new_page()
    sign_in(page, mesh, tree["head"]["email"], PASSWORD)
    page.get_by_role("link", name=re.compile("Third-party associates")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Third-party associates")
    picker = page.get_by_role("group", name="Companies")
    expect(picker.get_by_role("checkbox")).to_have_count(2)  # Region and Shop: nothing above or beside
    expect(picker).not_to_contain_text(tree["head"]["company"]["name"])
    expect(picker).not_to_contain_text(tree["elsewhere"]["company"]["name"])
    expect(page.locator("table.users-list")).to_contain_text("Romain Quentin")
    shot(page, "all-associates")

    page.get_by_role("button", name="None").click()
    expect(page.locator("#pager-summary")).to_have_text("Tick the companies whose users to list.")
    expect(picker.get_by_role("checkbox", checked=True)).to_have_count(0)
    picker.get_by_label(re.compile(re.escape(shop_name))).check()
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page.locator("#acting-on")).to_have_text(f"The buttons below act on {shop_name}.")
    expect(page.locator("table.users-list tbody tr")).to_have_count(1)  # the shop's administrator
    shot(page, "shop-picked")

    page.get_by_role("link", name="Import users").click()
    expect(page.locator("#company_id option:checked")).to_have_text(shop_name)
    page.go_back()

    newcomer = f"nora-{tag}@shop.test"
    page.get_by_role("link", name="Add a user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a user")
    expect(page.locator("#company_id option:checked")).to_have_text(shop_name)
    page.fill("#email", newcomer)
    page.fill("#last_name", "Lemaire")
    page.fill("#first_name", "Nora")
    shot(page, "add-user-to-shop")
    page.get_by_role("button", name="Add the user").click()
    expect(page).to_have_url(re.compile(r"/administration/associates\?"))
    expect(page.get_by_role("status")).to_contain_text("The user has been created")
    row = page.locator("table.users-list tbody tr", has_text="Nora Lemaire")
    expect(row).to_contain_text(shop_name)
    expect(row).to_contain_text("Not activated")
    created = mesh.wait_for_mail(newcomer, containing=f"{mesh.base_url}/activate/")

    row.get_by_label("Select Nora Lemaire").check()
    page.get_by_role("button", name="Send the activation e-mail").click()
    expect(page.get_by_role("status")).to_contain_text("1 activation e-mail sent.")
    expect(page.locator("#acting-on")).to_have_text(f"The buttons below act on {shop_name}.")  # still on it
    shot(page, "activation-mail-sent")
    again = mesh.wait_for_mail(newcomer, containing=f"{mesh.base_url}/activate/", nth=2)
    assert mail_text(again) != mail_text(created)  # a new link replaces the old one
    phone = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True).new_page()
    sign_in(phone, mesh, tree["head"]["email"], PASSWORD)
    phone.goto(mesh.url("/administration/associates"))
    expect(phone.locator("table.users-list")).to_contain_text("Nora Lemaire")
    shot(phone, "phone-associates")

    # The shop's administrator sees, on the Administrators page, who supervises the shop.
    activate(mesh, tree["shop"]["email"], "Simon")
    shop_admin = browser.new_context(viewport=DESKTOP, locale="en-US").new_page()
    sign_in(shop_admin, mesh, tree["shop"]["email"], PASSWORD)
    shop_admin.goto(mesh.url("/profile"))
    shop_admin.get_by_role("link", name="See every administrator").click()
    expect(shop_admin.get_by_role("heading", level=1)).to_have_text("Administrators")
    own = shop_admin.get_by_role("region", name="Administrators of your company")
    expect(own).to_contain_text("Simon Quentin")
    expect(own.get_by_role("link", name=tree["shop"]["email"])).to_have_attribute("href", f"mailto:{tree['shop']['email']}")
    supervisors = shop_admin.get_by_role("region", name="Supervisors")
    expect(supervisors).to_contain_text("Victor Quentin")
    expect(supervisors).to_contain_text(f"Supervises {tree['region']['company']['name']} and its associates")
    expect(shop_admin.get_by_role("navigation", name="Management Center").get_by_role(
        "link", name="Administrators")).to_have_attribute("aria-current", "page")
    shot(shop_admin, "administrators-of-a-supervised-shop")
    for opened in (page, phone, shop_admin):
        opened.context.close()


def test_a_user_switches_a_notification_off_and_on_in_french(mesh, browser):
    shot = Photographer(mesh.backend + "-notifications")
    email, password = mesh.demo["user"]
    page = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    sign_in_fr(page, mesh, email, password)
    page.locator("details.user-menu summary").click()
    page.locator("details.user-menu").get_by_role("link", name="Notifications", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    row = page.locator(".notification-list li", has_text=FAQ_FR)
    expect(row.locator(".state")).to_have_text("Activé")
    shot(page, "notifications-fr")
    row.get_by_role("button", name="Désactiver").click()
    expect(page.get_by_role("status")).to_have_text(f"Désactivé : « {FAQ_FR} ».")
    expect(page.locator(".notification-list li", has_text=FAQ_FR).locator(".state")).to_have_text("Désactivé")
    shot(page, "notification-switched-off")

    # Gone from the user's services: no longer among the accepted ones of "Mes services".
    page.goto(mesh.url("/services?status=accepted"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes services")
    expect(page.locator("tr", has_text=FAQ_FR)).to_have_count(0)
    page.goto(mesh.url("/services?status=cancelled"))
    expect(page.locator("tr", has_text=FAQ_FR).first).to_be_visible()
    api = mesh.api_login(email, password)
    held = api.get(mesh.url("/api/catalog/subscriptions"), params={"status": "accepted", "per_page": 200},
                   timeout=10).json()["items"]
    assert FAQ_EN not in {item["service_title"] for item in held} and FAQ_FR not in {
        item["service_title"] for item in held}

    page.goto(mesh.url("/notifications"))
    page.locator(".notification-list li", has_text=FAQ_FR).get_by_role("button", name="Activer").click()
    expect(page.get_by_role("status")).to_have_text(f"Activé : « {FAQ_FR} ».")
    page.goto(mesh.url("/services?status=accepted"))
    expect(page.locator("tr", has_text=FAQ_FR)).to_have_count(1)

    # The Administrators page in French, for a plain user (no left bar, the profile's block leads there).
    page.goto(mesh.url("/profile"))
    page.get_by_role("link", name="Voir tous les administrateurs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administrateurs")
    expect(page.get_by_role("region", name="Administrateurs de votre société")).to_contain_text("Alice Martin")
    shot(page, "administrators-fr")
    page.context.close()


def sign_in_fr(page, mesh, email: str, password: str) -> None:
    page.goto(mesh.url("/login"))
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("h1")).not_to_have_text(re.compile("Sign in|Se connecter"))


def test_the_home_counts_a_pending_request_and_a_user_waiting_for_activation(mesh, browser):
    shot = Photographer(mesh.backend + "-home")
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company = register(mesh, operator, tag, "Tiles", "Theo")
    administrator = activate(mesh, company["email"], "Theo")
    waiting, asking = f"wanda-{tag}@tiles.test", f"arthur-{tag}@tiles.test"
    for address, first_name in ((waiting, "Wanda"), (asking, "Arthur")):
        created = administrator.post(mesh.url("/api/identity/users"), timeout=10, json={
            "email": address, "title": "M", "last_name": "Quentin", "first_name": first_name, "language": "en",
            "function": "Clerk", "office_phone": "", "mobile_phone": "", "security_level": 1})
        assert created.status_code == 201, created.text
    user = activate(mesh, asking, "Arthur")
    offer = user.get(mesh.url("/api/catalog/services"), params={"q": "distributor"}, timeout=10).json()["items"]
    asked = user.post(mesh.url("/api/catalog/subscriptions"), json={"service_id": offer[0]["id"]}, timeout=10)
    assert asked.status_code == 201 and asked.json()["status"] == "pending", asked.text

    page = browser.new_context(viewport=DESKTOP, locale="en-US").new_page()
    sign_in(page, mesh, company["email"], PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Theo Quentin")
    requests_tile = page.locator("a.tile-requests")
    expect(requests_tile.locator(".tile-count")).to_have_text("1")
    expect(requests_tile).to_contain_text("waiting for your validation")
    users_tile = page.locator("a.tile-users")
    expect(users_tile.locator(".tile-count")).to_have_text("1")
    expect(users_tile).to_contain_text("waiting for activation")
    expect(page.get_by_role("navigation", name="Spaces").get_by_role("link", name="ADMINISTRATION")).to_be_visible()
    expect(page.locator("a.tile-associates")).to_have_count(0)  # supervises nothing
    shot(page, "administrator-home")

    # Deciding the request and activating the user: the tiles count again at once.
    decided = administrator.post(mesh.url(f"/api/catalog/requests/{asked.json()['id']}/accept"), json={}, timeout=10)
    assert decided.status_code == 200, decided.text
    activate(mesh, waiting, "Wanda")
    page.reload()
    expect(page.locator("a.tile-requests .tile-count")).to_have_text("0")
    expect(page.locator("a.tile-users .tile-count")).to_have_text("0")

    # A plain user: no administration tile, no count, no ADMINISTRATION in the header.
    plain = browser.new_context(viewport=DESKTOP, locale="en-US").new_page()
    sign_in(plain, mesh, asking, PASSWORD)
    expect(plain.get_by_role("heading", level=1)).to_have_text("Welcome, Arthur Quentin")
    expect(plain.locator("a.tile-requests, a.tile-users")).to_have_count(0)
    expect(plain.locator("header")).not_to_contain_text("ADMINISTRATION")
    expect(plain.locator("a.tile-notifications")).to_be_visible()
    shot(plain, "plain-user-home")
    for opened in (page, plain):
        opened.context.close()

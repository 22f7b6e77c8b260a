"""The operators' back office in a real browser through the real mesh: an operator signs in and lands
in the back office, finds a company, creates another under it as its associate (whose first
administrator is mailed the activation link), records its contract and ends it, reads both in the
company's trail, and unlinks the associate; operators are created and disabled; a French operator
reads the pages in French. Through the API: an operator's search pages and counts, and a company
administrator is refused every operators' route. Screenshots go to PORTAL_SCREENSHOT_DIR.
"""
from __future__ import annotations

import re
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer  # noqa: E402

pytestmark = pytest.mark.mesh

OPERATOR_PASSWORD = "Vendor-Backoffice-2026!"


def _sign_in(page, mesh, email: str, password: str) -> None:
    page.goto(mesh.url("/login"))
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("h1")).not_to_have_text(re.compile("Sign in|Se connecter"))


def _register(operator: requests.Session, mesh, number: str, name: str, email: str, city: str = "Lyon") -> dict:
    answer = operator.post(mesh.url("/api/operator/companies"), json={
        "number": number, "name": name, "postcode": "69001", "city": city,
        "administrator": {"email": email, "last_name": "Martin", "first_name": "Alix", "language": "en"}}, timeout=10)
    assert answer.status_code == 201, answer.text
    return answer.json()["company"]


def test_operator_finds_a_company_creates_an_associate_records_and_ends_its_contract(mesh, browser):
    shot = Photographer(mesh.backend + "-backoffice")
    tag = uuid.uuid4().hex[:6].upper()
    api = mesh.api_login(mesh.operator_email, mesh.operator_password)
    root = _register(api, mesh, f"BO-{tag}", f"Groupe Horizon {tag}", f"root-{tag.lower()}@horizon.test")
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()

    # Signed in, the operator lands in the back office, which the header shows.
    _sign_in(page, mesh, mesh.operator_email, mesh.operator_password)
    expect(page).to_have_url(mesh.url("/operator/companies"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Companies")
    expect(page.locator(".site-header .spaces")).to_contain_text("BACK OFFICE")

    # The company is found by its number.
    page.fill("#q", f"bo-{tag}")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#pager-summary")).to_have_text("Displaying items 1 - 1 of 1")
    shot(page, "companies-found")
    page.get_by_role("link", name=root["name"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(root["name"])
    expect(page.locator(".associates-tree")).to_have_count(0)

    # Another company is created under it as its associate, with its first administrator.
    page.get_by_role("link", name="Create an associate").click()
    expect(page.locator(".lead")).to_contain_text(root["name"])
    administrator = f"shop-{tag.lower()}@horizon.test"
    page.fill("#number", f"BO-{tag}-SHOP")
    page.fill("#name", f"Horizon Shop {tag}")
    page.fill("#postcode", "13001")
    page.fill("#city", "Marseille")
    page.fill("#administrator_email", administrator)
    page.fill("#administrator_last_name", "Leroy")
    page.fill("#administrator_first_name", "Nina")
    page.select_option("#administrator_language", "fr")
    shot(page, "associate-form")
    page.get_by_role("button", name="Create the company").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Horizon Shop {tag}")
    expect(page.get_by_role("status")).to_contain_text("activation e-mail")
    expect(page.get_by_role("link", name=root["name"])).to_be_visible()  # its parent
    shop_url = page.url.split("?")[0]
    assert mesh.mailed_link(administrator, "activate").startswith(mesh.url("/activate/"))

    # Its contract is recorded, listed, then ended.
    today = datetime.now(timezone.utc).date().isoformat()
    page.fill("#starts_on", "2026-01-01")
    page.get_by_role("button", name="Record the contract").click()
    expect(page.get_by_role("status")).to_have_text("The contract has been recorded.")
    row = page.locator(".contracts-list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("2026-01-01")
    expect(row).to_contain_text("In force")
    shot(page, "contract-recorded")
    row.get_by_role("button", name="End the contract").click()
    expect(page.get_by_role("status")).to_have_text("The contract has ended.")
    expect(page.locator(".contracts-list tbody tr")).to_contain_text(f"Ended on {today}")
    listed = api.get(mesh.url("/api/operator/contracts"), params={"company_id": shop_url.rsplit("/", 1)[1]}, timeout=10)
    assert listed.status_code == 200 and [item["status"] for item in listed.json()["items"]] == ["ended"]

    # Both decisions are in the associate's trail, newest first, by the operator.
    page.get_by_role("link", name="Administration trail").click()
    rows = page.locator(".trail-list tbody tr")
    expect(rows.nth(0)).to_contain_text("Contract ended")
    expect(rows.nth(1)).to_contain_text("Contract recorded")
    expect(rows.nth(0)).to_contain_text("Portal Operator")
    shot(page, "trail")

    # Its users: the administrator waits for activation and is sent the mail again.
    page.get_by_role("link", name="Users").last.click()
    page.select_option("#status", "not_activated")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#pager-summary")).to_have_text("Displaying items 1 - 1 of 1")
    page.get_by_label("Select Nina Leroy").check()
    page.get_by_role("button", name="Send the activation e-mail").click()
    expect(page.get_by_role("status")).to_have_text("1 activation e-mail sent.")
    assert mesh.mailed_link(administrator, "activate", nth=2).startswith(mesh.url("/activate/"))

    # Back on the parent, the associate is in the tree, and is unlinked.
    page.goto(mesh.url(f"/operator/companies/{root['id']}"))
    tree = page.locator(".associates-tree")
    expect(tree).to_contain_text(f"Horizon Shop {tag}")
    tree.get_by_role("button", name=re.compile("Unlink")).click()
    expect(page.get_by_role("status")).to_have_text("The associate has been unlinked: it stands alone now.")
    expect(page.locator(".associates-tree")).to_have_count(0)
    expect(page.get_by_text("No associate yet.")).to_be_visible()
    page.get_by_role("link", name="Administration trail").click()
    expect(page.locator(".trail-list tbody tr").first).to_contain_text("Associate unlinked")
    shot(page, "unlinked")


def test_operators_are_created_and_disabled_and_a_french_operator_reads_french(mesh, browser):
    tag = uuid.uuid4().hex[:6]
    email = f"ops-{tag}@vendor.test"
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(page, mesh, mesh.operator_email, mesh.operator_password)
    page.get_by_role("link", name="Operators").click()
    page.fill("#email", email)
    page.fill("#first_name", "Camille")
    page.fill("#last_name", "Roux")
    page.fill("#password", "short")
    page.get_by_role("button", name="Create the operator").click()
    expect(page.locator("#password-error")).to_contain_text("strong level")
    page.fill("#password", OPERATOR_PASSWORD)
    page.get_by_role("button", name="Create the operator").click()
    expect(page.get_by_role("status")).to_have_text("The operator has been created and may sign in at once.")
    expect(page.locator(".operators-list")).to_contain_text(email)
    # One's own row has no "Disable".
    expect(page.locator("tr", has_text=mesh.operator_email).get_by_role("button")).to_have_count(0)

    # The new operator speaks French: the back office is in French for them.
    colleague = mesh.api_login(email, OPERATOR_PASSWORD)
    assert colleague.patch(mesh.url("/api/identity/me"), json={"language": "fr"}, timeout=10).status_code == 200
    french = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    _sign_in(french, mesh, email, OPERATOR_PASSWORD)
    expect(french).to_have_url(mesh.url("/operator/companies"))
    expect(french.get_by_role("heading", level=1)).to_have_text("Sociétés")
    expect(french.locator(".site-header .spaces")).to_contain_text("BACK-OFFICE")
    expect(french.get_by_role("link", name="Créer une société")).to_be_visible()
    expect(french.locator("#pager-summary")).to_contain_text(re.compile(r"Éléments 1 à \d+ sur \d+"))
    french.get_by_role("link", name="Services du catalogue").click()
    expect(french.get_by_role("heading", level=1)).to_have_text("Services du catalogue")
    french.get_by_role("link", name="Ajouter un service").click()
    expect(french.get_by_label("Titre en anglais")).to_be_visible()
    Photographer(mesh.backend + "-backoffice")(french, "french-service-form")

    # Disabled, the colleague can no longer sign in.
    page.locator("tr", has_text=email).get_by_role("button", name=re.compile("Disable")).click()
    expect(page.get_by_role("status")).to_have_text("The operator has been disabled; their sessions have ended.")
    expect(page.locator("tr", has_text=email)).to_contain_text("Disabled")
    refused = requests.post(mesh.url("/api/auth/login"), json={"email": email, "password": OPERATOR_PASSWORD}, timeout=10)
    assert refused.status_code == 401
    assert colleague.get(mesh.url("/api/operator/companies"), timeout=10).status_code == 401


def test_catalog_services_are_created_edited_and_retired_and_a_companys_own_in_its_trail(mesh, browser):
    tag = uuid.uuid4().hex[:6]
    title = f"Archive viewer {tag}"
    api = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company = _register(api, mesh, f"SV-{tag}", f"Archives {tag}", f"sv-{tag}@archives.test")
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    _sign_in(page, mesh, mesh.operator_email, mesh.operator_password)
    page.get_by_role("link", name="Catalog services").click()
    page.get_by_role("link", name="Add a service").click()
    page.fill("#title_en", title)
    page.fill("#title_fr", f"Visionneuse d'archives {tag}")
    page.select_option("#family", "Online services")
    page.check("#needs_validation")
    page.fill("#company_number", f"SV-{tag}-NOPE")
    page.get_by_role("button", name="Add the service").click()
    expect(page.locator("#company_number-error")).to_have_text("No company has this number.")
    page.fill("#company_number", f"sv-{tag}")
    page.get_by_role("button", name="Add the service").click()
    expect(page.get_by_role("status")).to_have_text("The service has been added to the catalog.")
    expect(page.get_by_text("This service is one company's alone.")).to_be_visible()
    page.fill("#description_en", "Read the archived documents.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("The service has been saved.")
    expect(page.locator("#description_en")).to_have_value("Read the archived documents.")
    page.get_by_role("link", name="Catalog services").first.click()
    page.fill("#q", tag)
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".services-list tbody tr")).to_contain_text("Needs validation")
    page.get_by_role("link", name=title).click()
    page.get_by_role("button", name="Withdraw the service").click()
    expect(page.get_by_role("status")).to_have_text(
        "The service has been withdrawn from the catalog; its subscriptions have ended.")
    page.goto(mesh.url(f"/operator/services?q={tag}"))
    expect(page.locator("#pager-summary")).to_have_text("No service matches these criteria.")
    page.goto(mesh.url(f"/operator/services?q={tag}&retired=1"))
    expect(page.locator(".services-list tbody tr")).to_contain_text("Withdrawn")

    # The company's own service: each of the operator's three decisions is in its trail.
    page.goto(mesh.url(f"/operator/companies/{company['id']}/trail"))
    rows = page.locator(".trail-list tbody tr")
    expect(rows.nth(0)).to_contain_text("Company's own service withdrawn")
    expect(rows.nth(1)).to_contain_text("Company's own service modified")
    expect(rows.nth(2)).to_contain_text("Company's own service created")
    expect(rows.nth(2)).to_contain_text(title)


def test_an_operators_search_pages_and_counts_and_administrators_are_refused(mesh, browser):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    for index in range(13):
        _register(operator, mesh, f"PG-{tag}-{index:02d}", f"Pagination {tag} {index:02d}",
                  f"pg{index}-{tag}@pages.test", city=f"Ville{tag}")
    pages = [operator.get(mesh.url("/api/operator/companies"), params={"q": f"ville{tag}", "per_page": 5, "page": number},
                          timeout=10).json() for number in (1, 2, 3, 4)]
    assert [page["total"] for page in pages] == [13, 13, 13, 13]
    assert [len(page["items"]) for page in pages] == [5, 5, 3, 0]
    names = [item["name"] for page in pages for item in page["items"]]
    assert names == [f"Pagination {tag} {index:02d}" for index in range(13)]
    assert operator.get(mesh.url("/api/operator/companies"), params={"per_page": 201}, timeout=10).status_code == 400

    # The page says the same: 13 found, ten a page.
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    _sign_in(page, mesh, mesh.operator_email, mesh.operator_password)
    page.goto(mesh.url(f"/operator/companies?q=ville{tag}"))
    expect(page.locator("#pager-summary")).to_have_text("Displaying items 1 - 10 of 13")
    page.get_by_role("link", name="Next page").click()
    expect(page.locator("#pager-summary")).to_have_text("Displaying items 11 - 13 of 13")

    # A company administrator is refused every operators' route, and the back office's pages.
    administrator = mesh.api_login(*mesh.demo["administrator"])
    for method, path in (("get", "/api/operator/companies"), ("get", "/api/operator/operators"),
                         ("get", "/api/operator/contracts"), ("get", "/api/operator/services"),
                         ("post", "/api/operator/operators")):
        answer = getattr(administrator, method)(mesh.url(path), json={} if method == "post" else None, timeout=10)
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden", (path, answer.text)
    admin_page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    _sign_in(admin_page, mesh, *mesh.demo["administrator"])
    expect(admin_page.locator(".site-header")).not_to_contain_text("BACK OFFICE")
    assert admin_page.goto(mesh.url("/operator/companies")).status == 403

"""The support space in a real browser through the real mesh: a user holding "Request service" and
"View FAQs" opens a request with an attachment, the knowledge base's articles appear while the
subject is typed; the company's administrator sees it in the company's list, a plain colleague does
not; an operator answers from the back office's page (after an internal note), and the user sees
the answer — never the note — and the clock on the request's page and resolves it. Screenshots go to
PORTAL_SCREENSHOT_DIR."""
from __future__ import annotations

import re
import sys
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer, sign_in  # noqa: E402
from management_scene import PASSWORD, activate, register, subscribe  # noqa: E402

pytestmark = pytest.mark.mesh
OWN, ADMIN, FAQS = "Request service", "Request service - Administration", "View FAQs"
PDF = b"%PDF-1.7\n" + b"0" * 20_000


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()




def _colleague(mesh, administrator, tag: str, first_name: str, *services: str) -> str:
    email = f"{first_name.lower()}-{tag}@support-web.test"
    created = _created(administrator.post(mesh.url("/api/identity/users"), timeout=30, json={
        "email": email, "title": "M", "last_name": "Quentin", "first_name": first_name, "language": "en",
        "function": "Buyer", "office_phone": "", "mobile_phone": "", "security_level": 1}))
    activate(mesh, email, first_name)
    for title in services:
        subscribe(mesh, administrator, title, created["id"])
    return email


def test_open_with_suggestions_see_in_the_company_list_answered_and_resolved(mesh, browser, tmp_path):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company = register(mesh, operator, tag, "Helpdesk", "Victor")
    product = _created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": f"PAY-{tag}", "name_en": "Payroll", "name_fr": "Paie", "kind": "software",
        "brand": "Etafi", "domain": "Payroll", "serializable": False, "major_version": 7}))
    _created(operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
        "company_id": company["company"]["id"], "starts_on": "2026-01-01"}))
    _created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
        "company_id": company["company"]["id"], "product_id": product["id"], "quantity": 1}))
    article = _created(operator.post(mesh.url("/api/operator/articles"), timeout=10, json={
        "title_en": f"Printing payslips{tag} again", "body_en": "Reinstall the printer driver.",
        "brand": "Etafi", "domain": "Payroll"}))
    assert operator.post(mesh.url(f"/api/operator/articles/{article['id']}/publish"), timeout=10).status_code in (200, 201)
    victor = activate(mesh, company["email"], "Victor")
    for title in (OWN, ADMIN):
        subscribe(mesh, victor, title)
    colin = _colleague(mesh, victor, tag, "Colin", OWN, FAQS)
    paula = _colleague(mesh, victor, tag, "Paula", OWN)
    shoot = Photographer(mesh.backend)
    attachment = tmp_path / "screenshot.pdf"
    attachment.write_bytes(PDF)

    # Colin opens a request: the article is suggested while he types the subject.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, mesh, colin, PASSWORD)
    page.goto(mesh.url("/support"))
    page.get_by_role("link", name="New request").first.click()
    page.select_option("#product", product["id"])
    page.locator("#subject").press_sequentially(f"payslips{tag}", delay=20)
    suggestion = page.locator(".suggestion-list li").first
    expect(suggestion).to_contain_text(f"Printing payslips{tag} again", timeout=15_000)
    expect(suggestion.get_by_role("button", name="This answered my question")).to_be_visible()
    shoot(page, "support-new-suggestions")
    page.fill("#description", "Since the update, <b>nothing</b> prints.")
    page.select_option("#severity", "major")
    page.set_input_files("#attachments", str(attachment))
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".alert-success")).to_contain_text("Your request has been registered")
    number = page.locator(".request-number").inner_text()
    assert re.fullmatch(r"SR-\d{4}-\d+", number), number
    expect(page.locator(".thread-body").first).to_have_text("Since the update, <b>nothing</b> prints.")
    expect(page.get_by_role("link", name="screenshot.pdf")).to_be_visible()
    request_url = page.url.split("?", 1)[0]
    request_id = request_url.rsplit("/", 1)[1]
    shoot(page, "support-request-opened")
    context.close()

    # The company's administrator sees it in the company's list; a plain colleague does not.
    for email, scope, sees in ((company["email"], "company", True), (paula, "own", False)):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in(page, mesh, email, PASSWORD)
        page.goto(mesh.url(f"/support?scope={scope}"))
        if sees:
            expect(page.get_by_role("link", name=number)).to_be_visible()
            shoot(page, "support-company-list")
        else:
            expect(page.locator("h1")).to_have_text("Support requests")
            expect(page.get_by_role("link", name=number)).to_have_count(0)
        context.close()

    # An operator answers from the back office's page, with an internal note first; Colin sees the
    # answer (never the note) and the clock, and resolves the request.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, mesh, mesh.operator_email, mesh.operator_password)
    page.goto(mesh.url(f"/operator/support/{request_id}"))
    expect(page.locator("h1")).to_contain_text(number)
    page.fill("#body", "Their driver is the old one")
    page.check("#internal")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".alert-success")).to_contain_text("The internal note has been saved")
    page.fill("#body", "Reinstall the driver, then print again.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".alert-success")).to_contain_text("The answer has been sent to the client.")
    context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, mesh, colin, PASSWORD)
    page.goto(request_url)
    expect(page.locator(".thread-operator .thread-body")).to_have_text("Reinstall the driver, then print again.")
    expect(page.locator("body")).not_to_contain_text("Their driver is the old one")
    expect(page.locator(".thread-operator .author")).to_have_text("Support")
    expect(page.locator(".request-facts")).to_contain_text("Resolution expected by")
    shoot(page, "support-request-answered")
    page.get_by_role("button", name="Mark as resolved").click()
    expect(page.locator(".alert-success")).to_have_text("The request is marked as resolved.")
    expect(page.get_by_role("button", name="Reopen the request")).to_be_visible()
    shoot(page, "support-request-resolved")
    context.close()

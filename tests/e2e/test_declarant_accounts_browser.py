"""The declarant accounts' pages in a real browser through the real mesh: an operator issues an
account for a company whose SIREN it set (``/operator/declarants``), finds it listed, mails a new
password link and revokes it; a company's administrator issues one for their own company
(``/administration/declarants``) and does not see another company's; the holder's mailed link sets
the password in the browser, then the declarative sign-in opens with it. Pages are photographed."""
from __future__ import annotations

import random
import sys
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect
from stdnum import luhn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer, sign_in  # noqa: E402

pytestmark = pytest.mark.mesh
# No digits: the login's random hex tag never shares 3 characters with it (the rule checks the login too).
PASSWORD = "Liasse-Annuelle-Close!"
DEMO_SIREN = "123456782"  # identity's demo company (identity/demo.py)
ISSUED = "Your Etafi declarative portal account: choose its password"
RESET = "Choose a new password for your Etafi declarative portal account"


def _company_with_siren(mesh, tag: str) -> tuple[str, str]:
    """A company of its own whose SIREN the operator sets through the API: its number and SIREN."""
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    number = f"DECL-{tag}"
    created = operator.post(mesh.url("/api/operator/companies"), timeout=10, json={
        "number": number, "name": f"Liasses {tag}", "postcode": "69001", "city": "Lyon",
        "administrator": {"email": f"admin.{tag}@accounts.test", "title": "M", "last_name": "Roux",
                          "first_name": "Paul", "language": "en"}})
    assert created.status_code == 201, created.text
    base = "".join(random.choice("0123456789") for _ in range(8))
    siren = base + luhn.calc_check_digit(base)
    patched = operator.patch(mesh.url(f"/api/operator/companies/{created.json()['company']['id']}"),
                             json={"siren": siren}, timeout=10)
    assert patched.status_code == 200, patched.text
    return number, siren


def _issue(page, login: str, address: str, first_name: str, company_number: str | None = None) -> None:
    if company_number is not None:
        page.fill("#company_number", company_number)
    page.fill("#login", login)
    page.fill("#email", address)
    page.fill("#first_name", first_name)
    page.fill("#last_name", "Noel")
    page.select_option("#language", "en")
    page.get_by_role("button", name="Issue the account").click()
    expect(page.get_by_text("The account has been issued")).to_be_visible()


def _search(page, text: str) -> None:
    page.fill("#q", text)
    page.get_by_role("button", name="Filter").click()


def test_an_operator_issues_lists_resets_and_revokes_a_declarant_account(mesh, browser):
    tag = uuid.uuid4().hex[:8]
    shot = Photographer(mesh.backend + "-declarant-accounts")
    number, siren = _company_with_siren(mesh, tag)
    login, address = f"op.{tag}", f"op.{tag}@accounts.test"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    sign_in(page, mesh, mesh.operator_email, mesh.operator_password)
    page.wait_for_url(mesh.url("/operator/companies"))
    page.goto(mesh.url("/operator/declarants"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Declarant accounts")
    _issue(page, login, address, "Agathe", company_number=number)
    assert mesh.wait_for_mail(address, ISSUED, containing=login)

    _search(page, login)
    row = page.locator("table.declarants-list tbody tr", has_text=login)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(siren)
    expect(row).to_contain_text("password not set yet")
    shot(page, "operator-declarants")
    row.get_by_role("button", name=f"New password link {login}").click()
    expect(page.get_by_text("A new password link has been mailed to the holder.")).to_be_visible()
    assert mesh.wait_for_mail(address, RESET, containing=login)

    _search(page, login)
    page.locator("table.declarants-list tbody tr", has_text=login).get_by_role(
        "button", name=f"Revoke {login}").click()
    expect(page.get_by_text("The account has been revoked; its sessions have ended.")).to_be_visible()
    _search(page, login)
    row = page.locator("table.declarants-list tbody tr", has_text=login)
    expect(row).to_contain_text("Revoked")
    expect(row.get_by_role("button")).to_have_count(0)
    shot(page, "operator-declarant-revoked")
    context.close()


def test_an_administrator_issues_for_their_company_and_the_holder_signs_in(mesh, browser):
    tag = uuid.uuid4().hex[:8]
    shot = Photographer(mesh.backend + "-declarant-accounts")
    # Another company's account, issued by an operator: the administrator never sees it.
    number, _siren = _company_with_siren(mesh, tag)
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    companies = operator.get(mesh.url("/api/operator/companies"), params={"q": number}, timeout=10).json()["items"]
    other = f"other.{tag}"
    assert operator.post(mesh.url("/api/operator/declarants"), timeout=10, json={
        "login": other, "role": "declarant", "company_id": next(c["id"] for c in companies if c["number"] == number),
        "email": f"{other}@accounts.test"}).status_code == 201

    login, address = f"adm.{tag}", f"adm.{tag}@demo.localhost"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    sign_in(page, mesh, *mesh.demo["administrator"])
    page.wait_for_url(mesh.url("/"))
    page.goto(mesh.url("/administration/declarants"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Declarant accounts")
    expect(page.locator("#company_number")).to_have_count(0)  # their own company, never named
    _issue(page, login, address, "Bastien")
    _search(page, login)
    row = page.locator("table.declarants-list tbody tr", has_text=login)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(DEMO_SIREN)
    shot(page, "administration-declarants")
    _search(page, other)
    expect(page.get_by_text("No declarant account matches these criteria.")).to_be_visible()
    context.close()

    # The holder's mail links the page that sets the password; then the declarative sign-in.
    holder = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US").new_page()
    holder.goto(mesh.mailed_link(address, "declarations/password"))
    holder.fill("#password", PASSWORD)
    holder.fill("#password_confirmation", PASSWORD)
    holder.get_by_role("button", name="Save the password").click()
    expect(holder.get_by_text("The password is set")).to_be_visible()
    holder.goto(mesh.url("/declarations/signin"))
    holder.fill("#login", login)
    holder.fill("#password", PASSWORD)
    holder.get_by_role("button", name="Sign in").click()
    holder.wait_for_url(mesh.url("/declarations"))
    expect(holder.get_by_role("cell", name=DEMO_SIREN)).to_be_visible()
    shot(holder, "administration-declarant-signed-in")
    holder.context.close()

"""The support space's pages through the real mesh, on both backends: a user opens a request with an
attachment through the page's form (streamed on to support), sees it in "My requests", downloads the
attachment from the request's page, comments with a file, and resolves it; the company's
administrator sees it in the company's list, a plain colleague does not, and gets the 404 page."""
from __future__ import annotations

import html
import os
import re
import sys
import uuid
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from management_scene import activate, register, subscribe  # noqa: E402

pytestmark = pytest.mark.mesh
OWN, ADMIN = "Request service", "Request service - Administration"
PDF = b"%PDF-1.7\n" + os.urandom(40_000)
STREAMED = re.compile(r'action="(/support/requests[^"]*\?csrf_token=[^"]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()




def _pages_of(api_session: requests.Session) -> requests.Session:
    """A browser-like session of the same user: the session token as the pages' cookie."""
    pages = requests.Session()
    pages.cookies.set("portal_session", api_session.headers["Authorization"].split(" ", 1)[1])
    return pages


def _colleague(mesh, administrator, tag: str, first_name: str) -> requests.Session:
    email = f"{first_name.lower()}-{tag}@pages.test"
    created = _created(administrator.post(mesh.url("/api/identity/users"), timeout=30, json={
        "email": email, "title": "M", "last_name": "Quentin", "first_name": first_name, "language": "en",
        "function": "Buyer", "office_phone": "", "mobile_phone": "", "security_level": 1}))
    session = activate(mesh, email, first_name)
    subscribe(mesh, administrator, OWN, created["id"])
    return session


@pytest.fixture(scope="module")
def scene(mesh):
    """Pages Co (under contract, holding Payroll): Victor its administrator with both request
    services, Colin and Paula plain users with "Request service"."""
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company = register(mesh, operator, tag, "Pages", "Victor")
    product = _created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": f"PAY-{tag}", "name_en": "Payroll", "name_fr": "Paie", "kind": "software",
        "brand": "Etafi", "domain": "Payroll", "serializable": False, "major_version": 7}))
    _created(operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
        "company_id": company["company"]["id"], "starts_on": "2026-01-01"}))
    _created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
        "company_id": company["company"]["id"], "product_id": product["id"], "quantity": 1}))
    victor = activate(mesh, company["email"], "Victor")
    subscribe(mesh, victor, OWN)
    subscribe(mesh, victor, ADMIN)
    colin = _colleague(mesh, victor, tag, "Colin")
    paula = _colleague(mesh, victor, tag, "Paula")
    return {"operator": operator, "product": product, "victor": victor, "colin": colin, "paula": paula}


def test_open_with_an_attachment_list_comment_and_resolve_through_the_pages(mesh, scene):
    colin, product = scene["colin"], scene["product"]
    pages = _pages_of(colin)
    form = pages.get(mesh.url(f"/support/requests/new?product={product['code']}"), timeout=10)
    assert form.status_code == 200 and f'<option value="{product["id"]}" selected>Payroll</option>' in form.text
    action = html.unescape(STREAMED.search(form.text).group(1))
    opened = pages.post(mesh.url(action), timeout=60, allow_redirects=False, data={
        "product": product["id"], "subject": "Payslips do not print", "description": "Since <b>7.1</b>.",
        "severity": "blocking", "contact_phone": "+33 4 72 00 00 01"},
        files=[("attachments", ("screenshot.pdf", PDF, "application/pdf"))])
    assert opened.status_code == 303, opened.text
    request_path = opened.headers["Location"].split("?", 1)[0]
    request_id = request_path.rsplit("/", 1)[1]
    shown = colin.get(mesh.url(f"/api/support/requests/{request_id}"), timeout=10).json()
    assert shown["status"] == "new" and shown["severity"] == "blocking" and shown["product"]["id"] == product["id"]
    assert [a["file_name"] for a in shown["attachments"]] == ["screenshot.pdf"]

    listed = pages.get(mesh.url("/support"), timeout=10).text
    assert shown["number"] in listed and "Payslips do not print" in listed and "Answer expected by" in listed
    page = pages.get(mesh.url(request_path), timeout=10).text
    assert "Since &lt;b&gt;7.1&lt;/b&gt;." in page and "Mark as resolved" in page
    link = html.unescape(re.search(r'href="([^"]+)" download>screenshot.pdf', page).group(1))
    got = pages.get(mesh.url(link), timeout=10)
    assert got.status_code == 200 and got.content == PDF

    comment_action = html.unescape(STREAMED.search(page).group(1))
    assert comment_action.startswith(f"{request_path}/comments?")
    commented = pages.post(mesh.url(comment_action), timeout=60, allow_redirects=False,
                           data={"body": "Still broken after a restart."},
                           files=[("attachments", ("trace.txt", b"line 1\nline 2\n", "text/plain"))])
    assert commented.status_code == 303, commented.text
    thread = colin.get(mesh.url(f"/api/support/requests/{request_id}"), timeout=10).json()["thread"]
    assert [(c["body"], [a["file_name"] for a in c["attachments"]]) for c in thread] == [
        ("Still broken after a restart.", ["trace.txt"])]

    # The company's administrator sees it in the company's list; a plain colleague does not.
    company_list = _pages_of(scene["victor"]).get(mesh.url("/support?scope=company"), timeout=10).text
    assert shown["number"] in company_list
    paula = _pages_of(scene["paula"])
    assert shown["number"] not in paula.get(mesh.url("/support"), timeout=10).text
    assert paula.get(mesh.url(request_path), timeout=10).status_code == 404

    page = pages.get(mesh.url(request_path), timeout=10).text
    resolved = pages.post(mesh.url(f"{request_path}/resolve"), data={"csrf_token": CSRF.search(page).group(1)},
                          timeout=10, allow_redirects=False)
    assert resolved.status_code == 303 and resolved.headers["Location"].endswith("?done=resolved")
    assert colin.get(mesh.url(f"/api/support/requests/{request_id}"), timeout=10).json()["status"] == "resolved"
    assert "Reopen the request" in pages.get(mesh.url(request_path), timeout=10).text


def test_a_refused_file_is_named_on_the_page_and_nothing_is_opened(mesh, scene):
    colin, product = scene["colin"], scene["product"]
    pages = _pages_of(colin)
    before = colin.get(mesh.url("/api/support/requests"), timeout=10).json()["total"]
    action = html.unescape(STREAMED.search(pages.get(mesh.url("/support/requests/new"), timeout=10).text).group(1))
    refused = pages.post(mesh.url(action), timeout=60, data={
        "product": product["id"], "subject": "A program", "description": "See the file", "severity": "minor"},
        files=[("attachments", ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 500, "application/pdf"))])
    assert refused.status_code == 400 and "The file tool.pdf is refused" in refused.text
    assert 'value="A program"' in refused.text
    forged = pages.post(mesh.url("/support/requests?csrf_token=forged"), timeout=10, data={"subject": "x"},
                        files=[("attachments", ("a.txt", b"a", "text/plain"))])
    assert forged.status_code == 400
    assert colin.get(mesh.url("/api/support/requests"), timeout=10).json()["total"] == before

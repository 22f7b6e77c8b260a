"""Administrative documents in a real browser through the real mesh: a holder of "Invoice viewing
service" opens Invoices from the header on a phone, downloads an invoice and opens the print view;
a colleague without the service has no entry and is refused the page; an operator's bulk upload
with one bad line reports that line. Screenshots go to PORTAL_SCREENSHOT_DIR (default var/screenshots)."""
from __future__ import annotations

import hashlib
import io
import re
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfWriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer, sign_in  # noqa: E402
from management_scene import PASSWORD, activate, register  # noqa: E402

pytestmark = pytest.mark.mesh


def pdf(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_holder_downloads_an_invoice_and_a_colleague_cannot_see_the_page(mesh, browser, tmp_path):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company = register(mesh, operator, tag, "Florist", "Fanny")
    holder = activate(mesh, company["email"], "Fanny")
    offer = holder.get(mesh.url("/api/catalog/services"), params={"q": "Invoice viewing service", "per_page": 200},
                       timeout=10).json()["items"]
    service = next(s for s in offer if s["title"] == "Invoice viewing service")
    assert holder.post(mesh.url("/api/catalog/subscriptions"), json={"service_id": service["id"]},
                       timeout=10).status_code == 201
    colleague_email = f"colin-{tag}@florist.test"
    created = holder.post(mesh.url("/api/identity/users"), timeout=10, json={
        "email": colleague_email, "title": "M", "last_name": "Quentin", "first_name": "Colin", "language": "en",
        "function": "Buyer", "office_phone": "", "mobile_phone": "", "security_level": 1})
    assert created.status_code == 201, created.text
    activate(mesh, colleague_email, "Colin")
    data = pdf(f"Invoice {tag}")
    answer = operator.post(mesh.url("/api/operator/documents"), timeout=30, data={
        "company_id": company["company"]["id"], "kind": "invoice", "number": f"FL-{tag}", "issued_on": "2026-11-20",
        "amount": "1250.00", "currency": "EUR"}, files={"file": (f"FL-{tag}.pdf", data, "application/pdf")})
    assert answer.status_code == 201, answer.text

    shoot = Photographer(mesh.backend)
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)  # a phone
    page = context.new_page()
    sign_in(page, mesh, company["email"], PASSWORD)
    page.goto(mesh.url("/"))
    page.get_by_role("link", name="ADMINISTRATIVE DOCUMENTS").click()
    expect(page.locator("h1")).to_have_text("Invoices")
    row = page.locator("tr", has_text=f"FL-{tag}").first
    expect(row).to_contain_text("1,250.00 EUR")
    expect(page.locator(".document-total")).to_contain_text("1,250.00 EUR")
    shoot(page, "documents-invoices-phone")
    with page.expect_download() as downloading:
        row.get_by_role("link", name=re.compile("Download")).click()
    saved = tmp_path / "invoice.pdf"
    downloading.value.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()
    assert downloading.value.suggested_filename == f"FL-{tag}.pdf"
    page.get_by_role("link", name="Print view").click()
    expect(page.locator("table.document-list")).to_contain_text(f"FL-{tag}")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    shoot(page, "documents-invoices-print")
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, mesh, colleague_email, PASSWORD)
    page.goto(mesh.url("/"))
    expect(page.get_by_role("link", name="ADMINISTRATIVE DOCUMENTS")).to_have_count(0)
    refused = page.goto(mesh.url("/documents/invoices"))
    assert refused.status == 403
    expect(page.locator("body")).not_to_contain_text(f"FL-{tag}")
    shoot(page, "documents-colleague-refused")
    context.close()


def test_an_operators_bulk_upload_reports_its_bad_line(mesh, browser, tmp_path):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company = register(mesh, operator, tag, "Garage", "Gaston")
    number = company["company"]["number"]
    index = (f"{number};invoice;GB-{tag}-1;2026-11-02;80.00;EUR;one.pdf\n"
             f"{number};credit;GB-{tag}-2;2026-11-03;8.00;EUR;two.pdf\n"
             f"UNKNOWN-{tag};invoice;GB-{tag}-3;2026-11-04;9.00;EUR;three.pdf\n")
    archive_path = tmp_path / "documents.zip"
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.csv", index)
        for name in ("one.pdf", "two.pdf", "three.pdf"):
            archive.writestr(name, pdf(name))

    shoot = Photographer(mesh.backend)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, mesh, mesh.operator_email, mesh.operator_password)
    page.goto(mesh.url("/operator/documents"))
    expect(page.locator("h1")).to_have_text("Administrative documents")
    page.set_input_files("#bulk-file", str(archive_path))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("h1")).to_have_text("Bulk upload of documents")
    # The report page refreshes by itself until assets' worker is done.
    expect(page.locator("#import-summary")).to_have_text("2 of 3 documents stored.", timeout=60_000)
    row = page.locator("table.rejected-lines tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("3")
    expect(row).to_contain_text("no company has this number")
    shoot(page, "operator-documents-bulk-report")
    page.get_by_role("link", name="Back to the documents").click()
    expect(page.locator("tr", has_text=f"GB-{tag}-1")).to_have_count(1)
    context.close()

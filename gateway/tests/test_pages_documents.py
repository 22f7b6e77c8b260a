"""The administrative documents' pages inside the real gateway app, assets faked over HTTP: the
invoices list with its totals and print view, in French; 403 without the service; the operators'
upload of one PDF and the bulk upload streamed through to assets, then its report."""
from __future__ import annotations

import io
import re

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
USER = {"id": "u1", "email": "claire@client.test", "display_name": "Claire Durand", "language": "fr",
        "operator": False, "company": {"id": "c1", "name": "Durand Industries"}}
OPERATOR = {**USER, "id": "op1", "email": "op@vendor.test", "display_name": "Olga Operator", "operator": True,
            "company": None, "language": "en"}
INVOICE = {"id": "d1", "kind": "invoice", "number": "F-2026-001", "issued_on": "2026-11-20", "amount": "1234.50",
           "currency": "EUR", "intervention": None, "file_name": "F-2026-001.pdf", "size": 2048, "sha256": "ab" * 32,
           "file_url": "/api/assets/documents/d1/file", "published_at": "2026-11-20T10:00:00+00:00",
           "company": {"id": "c1", "number": "C1", "name": "Durand Industries"}}


def sign_in(client, services, user=USER):
    services["identity"].routes[("POST", "/auth/login")] = lambda seen: (200, {"user": user, "password_expired": False})
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    return client.post("/login", data={"email": user["email"], "password": "Portal-Access-93", "csrf_token": token})


def test_the_invoices_page_lists_totals_and_prints_in_french(client, services, grant):
    grant("u1", "invoice-viewing-service", "c1")
    assets = services["assets"]
    assets.routes[("GET", "/assets/documents")] = lambda seen: (200, {
        "items": [INVOICE, {**INVOICE, "id": "d2", "kind": "credit", "number": "A-1", "amount": "34.50"}],
        "total": 2, "totals": [{"currency": "EUR", "amount": "1200.00"}]})
    sign_in(client, services)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/documents"' in home and "DOCUMENTS ADMINISTRATIFS" in home
    assert client.get("/documents").headers["Location"].endswith("/documents/invoices")
    page = client.get("/documents/invoices?kind=invoice&from=2026-01-01&min=1000,5").get_data(as_text=True)
    assert "Factures" in page and "F-2026-001" in page and "Avoir" in page
    assert 'href="/api/assets/documents/d1/file"' in page and "20 nov. 2026" in page
    assert "Total des factures listées moins les avoirs (EUR)" in page and "1\u202f200,00 EUR" in page
    sent = assets.last.query
    assert "kind=invoice" in sent and "issued_from=2026-01-01" in sent and "amount_min=1000.5" in sent
    printed = client.get("/documents/invoices/print?kind=invoice").get_data(as_text=True)
    assert "documents.css" in printed and "F-2026-001" in printed and "Télécharger" not in printed
    assert "per_page=200" in assets.last.query
    bad = client.get("/documents/invoices?min=abc").get_data(as_text=True)
    assert "Saisissez un montant" in bad


def test_without_the_service_the_pages_are_refused(client, services):
    services["assets"].routes[("GET", "/assets/documents")] = lambda seen: (
        403, {"error": {"code": "forbidden", "message": "Your subscriptions do not include this service."}})
    sign_in(client, services)
    assert client.get("/documents").status_code == 403
    assert client.get("/documents/invoices").status_code == 403
    assert client.get("/documents/reports").status_code == 403


def test_operators_publish_one_document_and_upload_many(client, services):
    assets = services["assets"]
    listed = {"items": [INVOICE], "total": 1, "totals": []}
    assets.routes[("GET", "/operator/documents")] = lambda seen: (200, listed)
    assets.routes[("POST", "/operator/documents")] = lambda seen: (201, INVOICE)
    sign_in(client, services, OPERATOR)
    page = client.get("/operator/documents").get_data(as_text=True)
    assert "Administrative documents" in page and "C1 — Durand Industries" in page
    client.get("/operator/documents?company=C1&kind=credit")
    assert "company_number=C1" in assets.last.query and "kind=credit" in assets.last.query
    token = CSRF.search(page).group(1)
    form = {"company_number": "C1", "kind": "invoice", "number": "F-9", "issued_on": "2026-11-20", "amount": "10,50",
            "currency": "eur", "intervention": "", "csrf_token": token,
            "file": (io.BytesIO(b"%PDF-1.7 fake"), "F-9.pdf")}
    done = client.post("/operator/documents", data=form, content_type="multipart/form-data")
    assert done.status_code == 303 and done.headers["Location"].endswith("?done=published")
    body = assets.last.body
    assert b'name="company_number"\r\n\r\nC1' in body and b'name="amount"\r\n\r\n10.50' in body
    assert b'name="currency"\r\n\r\nEUR' in body and b"%PDF-1.7 fake" in body

    assets.routes[("POST", "/operator/documents")] = lambda seen: (400, {"error": {
        "code": "not_a_pdf", "message": "The file is not a PDF document.", "fields": {"file": ["Not a PDF."]}}})
    form["file"] = (io.BytesIO(b"hello"), "x.pdf")
    refused = client.post("/operator/documents", data=form, content_type="multipart/form-data")
    assert refused.status_code == 400 and "This file is not a PDF document." in refused.get_data(as_text=True)

    bulk = re.search(r'action="(/operator/documents/imports\?csrf_token=[^"]+)"', page).group(1).replace("&amp;", "&")
    assets.routes[("POST", "/operator/documents/imports")] = lambda seen: (202, {"id": "j1", "status": "queued"})
    zipped = b"PK\x03\x04" + b"z" * 300_000
    sent = client.post(bulk, data={"file": (io.BytesIO(zipped), "docs.zip")}, content_type="multipart/form-data")
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/operator/documents/imports/j1")
    assert zipped in assets.last.body and assets.last.headers["Content-Type"].startswith("multipart/form-data")
    forged = client.post("/operator/documents/imports?csrf_token=forged", data={"file": (io.BytesIO(zipped), "d.zip")},
                         content_type="multipart/form-data")
    assert forged.status_code == 400

    assets.routes[("POST", "/operator/documents/imports")] = lambda seen: (400, {"error": {
        "code": "no_index", "message": "No index.", "fields": {}}})
    no_index = client.post(bulk, data={"file": (io.BytesIO(zipped), "docs.zip")}, content_type="multipart/form-data")
    assert no_index.status_code == 400 and "holds no CSV index" in no_index.get_data(as_text=True)

    assets.routes[("GET", "/operator/documents/imports/j1")] = lambda seen: (200, {
        "id": "j1", "status": "done", "file_name": "docs.zip", "total": 3, "created": 2,
        "rejected": [{"line": 3, "reason": "missing_file", "message": "The ZIP holds no file of this name."}]})
    report = client.get("/operator/documents/imports/j1").get_data(as_text=True)
    assert "2 of 3 documents stored." in report and "the ZIP holds no file of this name" in report


def test_the_back_office_is_for_operators_only(client, services):
    sign_in(client, services)
    assert client.get("/operator/documents").status_code == 403
    assert client.post("/operator/documents/imports?csrf_token=x", data={}).status_code in (400, 403)

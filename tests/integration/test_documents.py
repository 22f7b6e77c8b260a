"""Administrative documents through the gateway, on both backends: an operator uploads invoices and
credits (one by one and in bulk, a ZIP of PDFs with its CSV index), a holder of "Invoice viewing
service" lists them with filters and totals and downloads one whole, by Range and by ETag; another
company's document is 404, lacking the service 403; not a PDF 400, over the limit 413, nothing
stored; a bulk upload's bad lines are reported by line; the holders get one digest mail."""
from __future__ import annotations

import hashlib
import io
import os
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from management_scene import activate, register  # noqa: E402
from meshtools import wait_until  # noqa: E402

from portalkit import filestore  # noqa: E402

pytestmark = pytest.mark.mesh
INVOICES = "Invoice viewing service"
LIMIT = 8 * 1024 * 1024  # PORTAL_ASSETS_DOCUMENT_MAX_BYTES's default


def pdf(padding: int = 0) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_attachment("padding.bin", os.urandom(padding))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()


def _upload(mesh, operator, company_id: str, number: str, data: bytes, kind="invoice", amount="100.00",
            issued_on="2026-11-20", name=None):
    fields = {"company_id": company_id, "kind": kind, "number": number, "issued_on": issued_on}
    if kind in ("invoice", "credit"):
        fields.update(amount=amount, currency="EUR")
    return operator.post(mesh.url("/api/operator/documents"), timeout=60, data=fields,
                         files={"file": (name or f"{number}.pdf", data, "application/pdf")})


@pytest.fixture(scope="module")
def scene(mesh):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    client = register(mesh, operator, tag, "Client", "Claire")
    other = register(mesh, operator, tag, "Other", "Oscar")
    holder = activate(mesh, client["email"], "Claire")
    outsider = activate(mesh, other["email"], "Oscar")
    offer = holder.get(mesh.url("/api/catalog/services"), params={"q": INVOICES, "per_page": 200}, timeout=10)
    service = next(s for s in offer.json()["items"] if s["title"] == INVOICES)
    granted = holder.post(mesh.url("/api/catalog/subscriptions"), json={"service_id": service["id"]}, timeout=10)
    assert granted.status_code == 201 and granted.json()["status"] == "accepted", granted.text
    data = pdf(200_000)
    invoice = _created(_upload(mesh, operator, client["company"]["id"], f"F-{tag}-1", data, name="Facture n°1.pdf"))
    credit = _created(_upload(mesh, operator, client["company"]["id"], f"A-{tag}-1", pdf(), kind="credit",
                              amount="30.25", issued_on="2026-11-21"))
    theirs = _created(_upload(mesh, operator, other["company"]["id"], f"F-{tag}-9", pdf()))
    return {"tag": tag, "operator": operator, "client": client, "other": other, "holder": holder,
            "outsider": outsider, "invoice": invoice, "credit": credit, "theirs": theirs, "data": data}


def test_a_holder_lists_with_filters_and_totals(mesh, scene):
    holder = scene["holder"]
    listed = holder.get(mesh.url("/api/assets/documents"), params={"kind": "invoice,credit"}, timeout=10)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert [item["id"] for item in body["items"]] == [scene["credit"]["id"], scene["invoice"]["id"]]  # newest first
    assert body["totals"] == [{"currency": "EUR", "amount": "69.75"}]
    assert body["items"][0]["company"]["name"] == scene["client"]["company"]["name"]
    narrowed = holder.get(mesh.url("/api/assets/documents"), timeout=10, params={
        "kind": "invoice", "issued_from": "2026-11-01", "issued_to": "2026-11-20", "amount_min": "50"}).json()
    assert [item["id"] for item in narrowed["items"]] == [scene["invoice"]["id"]]
    assert narrowed["totals"] == [{"currency": "EUR", "amount": "100.00"}]
    bad = holder.get(mesh.url("/api/assets/documents"), params={"amount_min": "lots"}, timeout=10)
    assert bad.status_code == 400 and "amount_min" in bad.json()["error"]["fields"]


def test_the_file_streams_with_its_name_range_and_etag(mesh, scene):
    holder, invoice, data = scene["holder"], scene["invoice"], scene["data"]
    url = mesh.url(f"/api/assets/documents/{invoice['id']}/file")
    whole = holder.get(url, timeout=30)
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["Content-Type"] == "application/pdf"
    assert whole.headers["Content-Disposition"] == (
        "attachment; filename=\"Facture_n_1.pdf\"; filename*=UTF-8''Facture%20n%C2%B01.pdf")
    assert whole.headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    part = holder.get(url, headers={"Range": "bytes=100-199"}, timeout=10)
    assert part.status_code == 206 and part.content == data[100:200]
    assert holder.get(url, headers={"If-None-Match": whole.headers["ETag"]}, timeout=10).status_code == 304


def test_another_companys_document_is_404_and_without_the_service_403(mesh, scene):
    holder, outsider = scene["holder"], scene["outsider"]
    for path in (f"/api/assets/documents/{scene['theirs']['id']}", f"/api/assets/documents/{scene['theirs']['id']}/file"):
        answer = holder.get(mesh.url(path), timeout=10)
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    assert outsider.get(mesh.url("/api/assets/documents"), timeout=10).status_code == 403
    assert outsider.get(mesh.url(f"/api/assets/documents/{scene['theirs']['id']}/file"), timeout=10).status_code == 403
    assert outsider.get(mesh.url(f"/api/assets/documents/{scene['invoice']['id']}/file"), timeout=10).status_code == 404
    assert holder.post(mesh.url("/api/operator/documents"), files={"file": ("x.pdf", pdf())},
                       timeout=10).status_code == 403


def test_not_a_pdf_400_over_the_limit_413_nothing_stored(mesh, scene):
    operator, company = scene["operator"], scene["client"]["company"]["id"]
    stored = _stored_objects(mesh)
    fake = _upload(mesh, operator, company, f"X-{scene['tag']}", b"MZ\x90\x00 an executable, renamed")
    assert fake.status_code == 400 and fake.json()["error"]["code"] == "not_a_pdf"
    big = _upload(mesh, operator, company, f"Y-{scene['tag']}", pdf(LIMIT + 1024))
    assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
    taken = _upload(mesh, operator, company, scene["invoice"]["number"], pdf())
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "document_exists"
    assert _stored_objects(mesh) == stored
    listed = operator.get(mesh.url("/api/operator/documents"), params={"company_id": company}, timeout=10).json()
    assert listed["total"] == 2


def test_the_holder_gets_a_mail_for_the_new_invoice(mesh, scene):
    mail = mesh.wait_for_mail(scene["client"]["email"], containing=scene["invoice"]["number"])
    assert mail["Subject"].startswith("A new document in the portal")
    assert mesh.url("/documents/invoices") in mail.get_body(("plain",)).get_content()
    assert mesh.mails_to(scene["other"]["email"], "A new document in the portal") == [] or all(
        scene["invoice"]["number"] not in m.get_body(("plain",)).get_content()
        for m in mesh.mails_to(scene["other"]["email"]))


def test_a_bulk_upload_stores_the_good_lines_reports_the_bad_and_mails_one_digest(mesh, scene):
    tag, operator = scene["tag"], scene["operator"]
    number = scene["client"]["company"]["number"]
    index = (f"Company number;Kind;Number;Date;Amount;Currency;File name\n"
             f"{number};invoice;B-{tag}-1;2026-10-01;10,00;EUR;b1.pdf\n"
             f"{number};credit;B-{tag}-2;2026-10-02;2.50;EUR;b2.pdf\n"
             f"NO-SUCH-{tag};invoice;B-{tag}-3;2026-10-03;1;EUR;b3.pdf\n"
             f"{number};invoice;B-{tag}-4;2026-10-04;1;EUR;absent.pdf\n"
             f"{number};invoice;B-{tag}-5;2026-10-05;1;EUR;fake.pdf\n")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.csv", index.encode("utf-8-sig"))
        for name in ("b1.pdf", "b2.pdf", "b3.pdf"):
            archive.writestr(name, pdf())
        archive.writestr("fake.pdf", b"not a pdf")
    answer = operator.post(mesh.url("/api/operator/documents/imports"), timeout=60,
                           files={"file": ("documents.zip", out.getvalue(), "application/zip")})
    assert answer.status_code == 202, answer.text
    job = answer.json()
    assert job["total"] == 5
    url = mesh.url(f"/api/operator/documents/imports/{job['id']}")
    # A 202 is a queued job: its report is followed until it is done (the contract's import model).
    report = wait_until(lambda: (r := operator.get(url, timeout=10).json())["status"] in ("done", "failed") and r,
                        timeout=60, message="the bulk upload's report")
    assert (report["status"], report["created"]) == ("done", 2)
    assert [(item["line"], item["reason"]) for item in report["rejected"]] == [
        (4, "unknown_company"), (5, "missing_file"), (6, "not_a_pdf")]
    listed = scene["holder"].get(mesh.url("/api/assets/documents"), params={"number": f"B-{tag}"}, timeout=10).json()
    assert sorted(item["number"] for item in listed["items"]) == [f"B-{tag}-1", f"B-{tag}-2"]
    mail = mesh.wait_for_mail(scene["client"]["email"], subject=f"2 new documents in the portal: {scene['client']['company']['name']}")
    text = mail.get_body(("plain",)).get_content()
    assert f"B-{tag}-1" in text and f"B-{tag}-2" in text
    refused = operator.post(mesh.url("/api/operator/documents/imports"), timeout=10,
                            files={"file": ("x.zip", b"not a zip", "application/zip")})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "not_a_zip"


def _stored_objects(mesh) -> int:
    """The files the file store holds (the folder's, or the bucket's objects and open uploads)."""
    env = mesh.mesh.environment()
    url = env.get("PORTAL_FILESTORE_URL")
    if not url:
        root = Path(env["PORTAL_VAR_DIR"]) / "files"
        return len([p for p in root.rglob("*") if p.is_file()])
    old = {name: os.environ.get(name) for name in env if name.startswith("PORTAL_FILESTORE_")}
    try:
        os.environ.update({name: env[name] for name in old})
        store = filestore.from_url(url)
        objects = store.client.list_objects_v2(Bucket=store.bucket).get("KeyCount", 0)
        uploads = store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
        return objects + len(uploads)
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

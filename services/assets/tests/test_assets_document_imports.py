"""Bulk uploads of documents: a ZIP of PDFs with a CSV index; the request checks the ZIP and its index,
the worker stores each good line and reports each bad one with its line number, and tells one
``DocumentPublished`` per company."""
from __future__ import annotations

import io
import zipfile

import pytest
from document_fixtures import bulk_zip, pdf

from portalkit.filestore import default_store

from assets import document_imports
from assets.document_settings import DocumentSettings
from assets.models import Document


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    root = tmp_path / "files"
    monkeypatch.setenv("PORTAL_FILESTORE_URL", f"file://{root}")
    return root


@pytest.fixture
def world(handle):
    for company in ("c1", "c2"):
        handle("CompanyRegistered", {"company_id": company, "number": f"N{company}", "name": f"Company {company}"})


def send(client, operator, data: bytes, name: str = "documents.zip"):
    return client.post("/operator/documents/imports", data={"file": (io.BytesIO(data), name)}, headers=operator,
                       content_type="multipart/form-data")


def work(database):
    return document_imports.process_pending(database, default_store(), DocumentSettings.load())


INDEX = ("Company number;Kind;Number;Date;Amount;Currency;File name\n"
         "Nc1;invoice;F-1;2026-11-01;1 234,50;EUR;f1.pdf\n"
         "Nc1;Avoir;A-1;02/11/2026;34.50;eur;a1.pdf\n"
         "Nc2;intervention_report;R-1;2026-11-03;;;r1.pdf;INT-9\n"
         "Nzz;invoice;F-2;2026-11-01;10;EUR;f2.pdf\n"
         "Nc1;invoice;F-3;2026-11-01;10;EUR;missing.pdf\n"
         "Nc1;invoice;F-4;2026-11-01;10;EUR;text.pdf\n"
         "Nc1;invoice;F-1;2026-11-01;10;EUR;f5.pdf\n"
         "Nc1;invoice;F-6;31/02/2026;10;EUR;f6.pdf\n"
         "Nc1;invoice;F-7;2026-11-01;ten;EUR;f7.pdf\n")


def test_good_lines_are_stored_bad_ones_reported_with_their_line(client, world, operator, database, events):
    files = {"f1.pdf": pdf(), "a1.pdf": pdf(), "r1.pdf": pdf(), "f2.pdf": pdf(), "text.pdf": b"hello",
             "f5.pdf": pdf(), "f6.pdf": pdf(), "f7.pdf": pdf()}
    response = send(client, operator, bulk_zip(INDEX, files))
    assert response.status_code == 202, response.get_json()
    job = response.get_json()
    assert (job["status"], job["total"]) == ("queued", 9)
    assert work(database) == 1
    report = client.get(f"/operator/documents/imports/{job['id']}", headers=operator).get_json()
    assert (report["status"], report["total"], report["created"]) == ("done", 9, 3)
    assert [(item["line"], item["reason"]) for item in report["rejected"]] == [
        (5, "unknown_company"), (6, "missing_file"), (7, "not_a_pdf"), (8, "duplicate_in_file"), (9, "bad_date"),
        (10, "bad_amount")]
    assert all(item["message"] for item in report["rejected"])
    with database.sessions() as session:
        stored = {(d.company_id, d.kind, d.number, str(d.amount), d.currency, d.intervention)
                  for d in session.query(Document)}
    assert stored == {("c1", "invoice", "F-1", "1234.50", "EUR", None), ("c1", "credit", "A-1", "34.50", "EUR", None),
                      ("c2", "intervention_report", "R-1", "None", None, "INT-9")}
    told = [data for kind, data in events() if kind == "DocumentPublished"]
    assert sorted((data["company_id"], len(data["documents"]), data["batch_id"]) for data in told) == [
        ("c1", 2, job["id"]), ("c2", 1, job["id"])]
    assert work(database) == 0  # done once


def test_a_number_already_stored_is_reported_and_windows_1252_commas_read(client, world, operator, database):
    index = "Nc1,facture,F-1,2026-11-01,10.00,EUR,é.pdf\n"
    assert send(client, operator, bulk_zip(index, {"é.pdf": pdf()}, encoding="cp1252")).status_code == 202
    work(database)
    again = send(client, operator, bulk_zip(index, {"é.pdf": pdf()}, encoding="cp1252")).get_json()
    work(database)
    report = client.get(f"/operator/documents/imports/{again['id']}", headers=operator).get_json()
    assert report["rejected"] == [{"line": 1, "reason": "document_exists", "message": report["rejected"][0]["message"]}]
    with database.sessions() as session:
        assert [d.file_name for d in session.query(Document)] == ["é.pdf"]


def test_a_member_over_the_limit_is_a_rejected_line(client, world, operator, database, monkeypatch):
    monkeypatch.setenv("PORTAL_ASSETS_DOCUMENT_MAX_BYTES", "50000")
    index = "Nc1;invoice;F-1;2026-11-01;1;EUR;big.pdf\nNc1;invoice;F-2;2026-11-01;1;EUR;small.pdf\n"
    job = send(client, operator, bulk_zip(index, {"big.pdf": pdf(100_000), "small.pdf": pdf()})).get_json()
    work(database)
    report = client.get(f"/operator/documents/imports/{job['id']}", headers=operator).get_json()
    assert report["created"] == 1 and [r["reason"] for r in report["rejected"]] == ["too_large"]


def test_a_member_lying_about_its_size_is_refused(client, world, operator, database):
    """A zip bomb's trick: the central directory declares a small size, the data inflates to more."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.csv", "Nc1;invoice;F-1;2026-11-01;1;EUR;bomb.pdf\n")
        archive.writestr("bomb.pdf", pdf() + b"\0" * 200_000)
    data = bytearray(out.getvalue())
    # Rewrite the declared uncompressed size of bomb.pdf in the central directory to 1,000 bytes.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("bomb.pdf")
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        name_length = int.from_bytes(data[offset + 28:offset + 30], "little")
        if data[offset + 46:offset + 46 + name_length] == b"bomb.pdf":
            data[offset + 24:offset + 28] = (1000).to_bytes(4, "little")
            break
        offset = data.find(b"PK\x01\x02", offset + 4)
    assert info.file_size > 1000
    job = send(client, operator, bytes(data)).get_json()
    work(database)
    report = client.get(f"/operator/documents/imports/{job['id']}", headers=operator).get_json()
    assert report["created"] == 0 and [r["reason"] for r in report["rejected"]] == ["bad_zip_member"]


@pytest.mark.parametrize("data, code", [(b"not a zip", "not_a_zip"),
                                        (bulk_zip("x", {}, index_name="readme.txt"), "no_index"),
                                        (bulk_zip("no separator here\n", {}), "csv_separator")])
def test_a_zip_or_index_that_cannot_be_read_is_refused_at_once(client, world, operator, store, data, code):
    response = send(client, operator, data)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == code
    assert [p for p in store.rglob("*") if p.is_file()] == []


def test_only_operators_upload_in_bulk(client, world, signed):
    user = signed("u1", "c1", entitlements=frozenset())
    assert send(client, user, bulk_zip("Nc1;invoice;F-1;2026-11-01;1;EUR;a.pdf\n", {"a.pdf": pdf()})).status_code == 403


def test_a_job_that_fails_midway_tells_what_it_stored(client, world, operator, database, events, monkeypatch):
    index = "Nc1;invoice;F-1;2026-11-01;1;EUR;a.pdf\nNc1;invoice;F-2;2026-11-01;1;EUR;b.pdf\n"
    job = send(client, operator, bulk_zip(index, {"a.pdf": pdf(), "b.pdf": pdf()})).get_json()
    real = document_imports._store_member
    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the disk is gone")
        return real(*args)
    monkeypatch.setattr(document_imports, "_store_member", failing)
    work(database)
    report = client.get(f"/operator/documents/imports/{job['id']}", headers=operator).get_json()
    assert (report["status"], report["created"], report["error"]) == ("failed", 1, "internal_error")
    told = [data for kind, data in events() if kind == "DocumentPublished"]
    assert [[d["number"] for d in data["documents"]] for data in told] == [["F-1"]]

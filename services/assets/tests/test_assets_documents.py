"""Documents: operators upload PDFs (streamed into the file store, checked by content, size-limited),
the holders of each kind's viewing service list them (filters, totals per currency, newest first)
and download them (Range, ETag); another company's answers 404, lacking the service 403."""
from __future__ import annotations

import hashlib
import io

import pytest
from document_fixtures import pdf

from assets.models import Document

INVOICES = "invoice-viewing-service"
REPORTS = "intervention-reports-and-attendance-sheet-viewing-service"


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    root = tmp_path / "files"
    monkeypatch.setenv("PORTAL_FILESTORE_URL", f"file://{root}")
    return root


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def world(handle):
    for company, parent in (("c1", None), ("c2", None), ("a1", "c1")):
        handle("CompanyRegistered", {"company_id": company, "number": company.upper(), "name": f"Company {company}",
                                     **({"parent_id": parent} if parent else {})})


def upload(client, operator, data: bytes | None = None, name: str = "F-1.pdf", **fields):
    form = {"company_id": "c1", "kind": "invoice", "number": "F-1", "issued_on": "2026-11-20", "amount": "100.50",
            "currency": "EUR", **fields}
    form = {k: v for k, v in form.items() if v is not None}
    if data is not False:
        form["file"] = (io.BytesIO(pdf() if data is None else data), name)
    return client.post("/operator/documents", data=form, headers=operator, content_type="multipart/form-data")


def holder(signed, *codes, company="c1", user="u1", **extra):
    return signed(user, company, entitlements=frozenset(f"{code}@{c}" for code in codes
                                                        for c in ([company] if isinstance(company, str) else company)),
                  **extra)


def test_an_uploaded_invoice_is_listed_told_and_downloaded(client, world, operator, signed, events, store):
    data = pdf(300_000)
    response = upload(client, operator, data, name="Facture n°1.pdf")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["size"], body["sha256"], body["amount"], body["company"]["name"]) == (
        len(data), hashlib.sha256(data).hexdigest(), "100.50", "Company c1")
    kind, event = events()[-1]
    assert kind == "DocumentPublished"
    assert event["company_id"] == "c1" and event["company_name"] == "Company c1"
    assert event["documents"] == [{"document_id": body["id"], "kind": "invoice", "number": "F-1",
                                   "issued_on": "2026-11-20", "amount": "100.50", "currency": "EUR"}]

    user = holder(signed, INVOICES)
    listed = client.get("/assets/documents?kind=invoice,credit", headers=user).get_json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]
    got = client.get(f"/assets/documents/{body['id']}/file", headers=user)
    assert got.status_code == 200 and got.data == data and got.mimetype == "application/pdf"
    assert got.headers["ETag"] == f'"{body["sha256"]}"'
    assert got.headers["Content-Disposition"] == (
        "attachment; filename=\"Facture_n_1.pdf\"; filename*=UTF-8''Facture%20n%C2%B01.pdf")
    part = client.get(f"/assets/documents/{body['id']}/file", headers={**user, "Range": "bytes=0-99"})
    assert part.status_code == 206 and part.data == data[:100]
    assert part.headers["Content-Range"] == f"bytes 0-99/{len(data)}"
    again = client.get(f"/assets/documents/{body['id']}/file", headers={**user, "If-None-Match": got.headers["ETag"]})
    assert again.status_code == 304


def test_list_filters_order_and_totals_over_the_filtered_set(client, world, operator, signed):
    for number, kind, day, amount, currency in (("F-1", "invoice", "2026-01-10", "100.10", "EUR"),
                                                ("F-2", "invoice", "2026-03-10", "200.20", "EUR"),
                                                ("A-1", "credit", "2026-02-10", "50.05", "EUR"),
                                                ("F-3", "invoice", "2026-04-10", "10", "XPF")):
        assert upload(client, operator, number=number, kind=kind, issued_on=day, amount=amount,
                      currency=currency).status_code == 201
    assert upload(client, operator, number="R-1", kind="intervention_report", issued_on="2026-05-01",
                  amount=None, currency=None, intervention="INT-7").status_code == 201
    user = holder(signed, INVOICES)
    listed = client.get("/assets/documents?per_page=2", headers=user).get_json()
    assert [item["number"] for item in listed["items"]] == ["F-3", "F-2"]  # newest first; reports unseen
    assert listed["total"] == 4
    assert listed["totals"] == [{"currency": "EUR", "amount": "250.25"}, {"currency": "XPF", "amount": "10.00"}]
    narrowed = client.get("/assets/documents?issued_from=2026-02-01&issued_to=2026-03-31&amount_min=60",
                          headers=user).get_json()
    assert [item["number"] for item in narrowed["items"]] == ["F-2"]
    assert narrowed["totals"] == [{"currency": "EUR", "amount": "200.20"}]
    assert client.get("/assets/documents?number=f-", headers=user).get_json()["total"] == 3
    assert client.get("/assets/documents?kind=intervention_report", headers=user).status_code == 403
    reports = holder(signed, REPORTS)
    shown = client.get("/assets/documents?intervention=INT-7", headers=reports).get_json()
    assert [item["number"] for item in shown["items"]] == ["R-1"] and shown["totals"] == []
    assert client.get("/assets/documents?amount_min=abc", headers=user).status_code == 400


def test_another_company_answers_404_and_lacking_the_service_403(client, world, operator, signed):
    own = upload(client, operator).get_json()
    theirs = upload(client, operator, company_id="c2").get_json()
    user = holder(signed, INVOICES)
    assert client.get(f"/assets/documents/{theirs['id']}", headers=user).status_code == 404
    assert client.get(f"/assets/documents/{theirs['id']}/file", headers=user).status_code == 404
    assert client.get("/assets/documents?company=c2", headers=user).status_code == 404
    colleague = signed("u2", "c1", entitlements=frozenset())
    assert client.get("/assets/documents", headers=colleague).status_code == 403
    assert client.get(f"/assets/documents/{own['id']}/file", headers=colleague).status_code == 403
    assert client.get(f"/assets/documents/{theirs['id']}/file", headers=colleague).status_code == 404
    reports_only = holder(signed, REPORTS)
    assert client.get(f"/assets/documents/{own['id']}/file", headers=reports_only).status_code == 403


def test_a_supervisor_sees_the_associates_documents_with_its_name(client, world, operator, signed):
    upload(client, operator, number="F-own")
    upload(client, operator, company_id="a1", number="F-assoc")
    upload(client, operator, company_id="c2", number="F-other")
    supervisor = holder(signed, INVOICES, company=["c1", "a1"])
    listed = client.get("/assets/documents", headers=supervisor).get_json()
    assert sorted((item["number"], item["company"]["name"]) for item in listed["items"]) == [
        ("F-assoc", "Company a1"), ("F-own", "Company c1")]
    only = client.get("/assets/documents?company=a1", headers=supervisor).get_json()
    assert [item["number"] for item in only["items"]] == ["F-assoc"]


@pytest.mark.parametrize("data, code", [(b"not a pdf at all", "not_a_pdf"),
                                        (b"%PDF-1.7\nbroken beyond repair", "not_a_pdf")])
def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_stored(client, world, operator, store, database, data, code):
    response = upload(client, operator, data)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == code
    assert [p for p in stored_files(store) if ".incoming" not in p.parts] == []
    with database.sessions() as session:
        assert session.query(Document).count() == 0


def test_a_file_over_the_limit_answers_413_and_nothing_is_stored(client, world, operator, store, database,
                                                                monkeypatch):
    monkeypatch.setenv("PORTAL_ASSETS_DOCUMENT_MAX_BYTES", "100000")
    response = upload(client, operator, pdf(200_000))
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "too_large"
    assert stored_files(store) == []
    with database.sessions() as session:
        assert session.query(Document).count() == 0


@pytest.mark.parametrize("fields, bad", [({"amount": None}, "amount"), ({"currency": "euro"}, "currency"),
                                         ({"amount": "-1"}, "amount"), ({"amount": "1.234"}, "amount"),
                                         ({"amount": "NaN"}, "amount"), ({"issued_on": "2026-13-01"}, "issued_on"),
                                         ({"kind": "receipt"}, "kind"), ({"number": " F"}, "number"),
                                         ({"kind": "attendance_sheet"}, "amount")])
def test_bad_fields_answer_400_naming_them(client, world, operator, store, fields, bad):
    response = upload(client, operator, **fields)
    assert response.status_code == 400, response.get_json()
    assert bad in response.get_json()["error"]["fields"]
    assert [p for p in stored_files(store) if ".incoming" not in p.parts] == []


def test_unknown_company_and_duplicate_number_are_refused(client, world, operator, store):
    response = upload(client, operator, company_id="nope")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "unknown_company"
    assert upload(client, operator).status_code == 201
    again = upload(client, operator)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "document_exists"
    assert upload(client, operator, kind="credit").status_code == 201  # another kind may share the number
    assert len(stored_files(store)) == 2


def test_only_operators_upload_and_list_all(client, world, operator, signed):
    user = holder(signed, INVOICES)
    assert upload(client, user).status_code == 403
    upload(client, operator)
    upload(client, operator, company_id="c2")
    listed = client.get("/operator/documents?company_id=c2", headers=operator).get_json()
    assert [item["company"]["id"] for item in listed["items"]] == ["c2"]
    by_number = client.get("/operator/documents?company_number=C2", headers=operator).get_json()
    assert [item["company"]["id"] for item in by_number["items"]] == ["c2"]
    assert client.get("/operator/documents", headers=user).status_code == 403


def test_the_company_may_be_named_by_its_number(client, world, operator):
    response = upload(client, operator, company_id=None, company_number="C2")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["company"]["id"] == "c2"
    unknown = upload(client, operator, company_id=None, company_number="NOPE")
    assert unknown.status_code == 400 and "company_number" in unknown.get_json()["error"]["fields"]
    neither = upload(client, operator, company_id=None)
    assert neither.status_code == 400 and "company_id" in neither.get_json()["error"]["fields"]

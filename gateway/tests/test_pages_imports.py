"""Importing users through the pages: the format, the dry-run preview, the import and its report.

identity (the fake portal, over HTTP) keeps the checked file: the gateway keeps nothing of it.
"""
from __future__ import annotations

import io
import re

import pytest

from gateway.web.administration import imports

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
IMPORT_ID = re.compile(r'name="import_id" value="([^"]+)"')
GOOD = ("Civility;Last name;First name;Email address;Phone;Mobile;Language code;Security level\n"
        "MME;Leroy;Emma;emma@client.test;;;fr-FR;2\n"
        "M;Moreau;Hugo;hugo@client.test;;;en-US;1\n"
        "M;Blanc;Leo;not-an-address;;;fr;2\n").encode()


@pytest.fixture
def client(administrator_pages):
    return administrator_pages


def check(client, data: bytes, name="users.csv"):
    token = CSRF.search(client.get("/administration/users/import").get_data(as_text=True)).group(1)
    return client.post("/administration/users/import", content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (io.BytesIO(data), name)})


def test_import_page_documents_the_format(client):
    page = client.get("/administration/users/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    for column in ("Civility", "Last name", "First name", "Language code", "Password security level"):
        assert column in page


def test_dry_run_previews_each_line_and_creates_nothing(client, portal):
    response = check(client, GOOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Check the import" in page
    assert page.count('class="row-accepted"') == 2 and page.count('class="row-refused"') == 1
    assert "the e-mail address is not valid" in page and "Import the 2 users" in page
    assert "Email address" not in page  # the header line is not a user
    assert "<td>Leroy</td>" in page and "<td>fr-FR</td>" in page  # the cells identity read
    assert not any(user["email"] == "emma@client.test" for user in portal.identity.users.values())
    sent = next(body for service, method, path, body in portal.calls if path == "/identity/imports")
    assert sent is None  # the file went as multipart, not JSON


def test_the_checked_import_is_started_by_its_id_and_reported(client, portal, var_dir):
    page = check(client, GOOD).get_data(as_text=True)
    import_id = IMPORT_ID.search(page).group(1)
    assert portal.identity.imports[import_id]["status"] == "preview"
    assert not any(var_dir.rglob("*.csv"))  # nothing of the file on the gateway's disk
    token = CSRF.search(page).group(1)
    response = client.post("/administration/users/import/run", data={"csrf_token": token, "import_id": import_id})
    assert response.status_code == 302 and response.headers["Location"] == f"/administration/imports/{import_id}"
    started = portal.calls[-1]
    assert started == ("identity", "POST", f"/identity/imports/{import_id}/start", None)
    assert {"emma@client.test", "hugo@client.test"} <= {u["email"] for u in portal.identity.users.values()}
    report = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Import report" in report and "finished" in report and "Refused lines" in report
    assert 'http-equiv="refresh"' not in report
    # The same button pressed again: identity says it has started, the page shows its report.
    again = client.post("/administration/users/import/run", data={"csrf_token": token, "import_id": import_id})
    assert again.status_code == 302 and again.headers["Location"] == f"/administration/imports/{import_id}"


def test_the_report_of_a_checked_import_not_started_says_so(client, portal):
    import_id = IMPORT_ID.search(check(client, GOOD).get_data(as_text=True)).group(1)
    report = client.get(f"/administration/imports/{import_id}").get_data(as_text=True)
    assert "checked, not imported yet" in report and 'http-equiv="refresh"' not in report


def test_a_preview_identity_no_longer_keeps_is_checked_again(client, portal):
    page = check(client, GOOD).get_data(as_text=True)
    import_id = IMPORT_ID.search(page).group(1)
    portal.identity.imports[import_id]["status"] = "expired"
    response = client.post("/administration/users/import/run",
                           data={"csrf_token": CSRF.search(page).group(1), "import_id": import_id})
    assert response.status_code == 410 and "no longer available" in response.get_data(as_text=True)
    assert 'type="file"' in response.get_data(as_text=True)


def test_a_running_import_page_refreshes_itself(client, portal):
    portal.identity.imports["i1"] = {"id": "i1", "status": "running", "total": 100, "processed": 40,
                                     "created": 0, "rejected": [], "file_name": "big.csv"}
    page = client.get("/administration/imports/i1").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page and "40 of 100 lines processed" in page
    assert client.get("/administration/imports/nope").status_code == 404


def test_another_administrator_cannot_start_the_checked_import(client, portal):
    page = check(client, GOOD).get_data(as_text=True)
    import_id = IMPORT_ID.search(page).group(1)
    portal.add_account("paul@client.test", "Portal-Access-93", first_name="Paul")
    client.set_cookie("portal_session", portal.open_session("paul@client.test"))
    token = CSRF.search(client.get("/administration/users/import").get_data(as_text=True)).group(1)
    response = client.post("/administration/users/import/run", data={"csrf_token": token, "import_id": import_id})
    assert response.status_code == 404  # identity: not this administrator's import
    assert portal.identity.imports[import_id]["status"] == "preview"
    for bad in ("", "x" * 65):
        response = client.post("/administration/users/import/run", data={"csrf_token": token, "import_id": bad})
        assert response.status_code == 400 and "no longer available" in response.get_data(as_text=True)


def test_refused_files_are_explained(client, portal, monkeypatch):
    response = check(client, b"")
    assert response.status_code == 400 and "The file is empty." in response.get_data(as_text=True)
    token = CSRF.search(client.get("/administration/users/import").get_data(as_text=True)).group(1)
    response = client.post("/administration/users/import", data={"csrf_token": token})
    assert response.status_code == 400 and "Choose the file to import." in response.get_data(as_text=True)
    monkeypatch.setattr(imports, "MAX_BYTES", 10)
    response = check(client, GOOD)
    assert response.status_code == 413 and "larger than 5 MB" in response.get_data(as_text=True)


def test_the_preview_is_read_from_identitys_answer():
    rows = imports.preview_rows({"total": 3, "rejected": [{"line": 3, "reason": "bad_email"}], "preview": [
        {"line": 4, "email": "zoe@client.test", "title": "MME", "last_name": "Léger", "first_name": "Zoé",
         "phone": None, "mobile": "", "language": "fr", "security_level": 2},
        {"line": 2, "email": "hugo@client.test", "title": "M", "last_name": "Moreau", "first_name": "Hugo",
         "phone": "+33 1", "mobile": "", "language": "en", "security_level": 1}]})
    assert [row["line"] for row in rows] == [2, 3, 4]
    assert rows[0]["cells"] == ["M", "Moreau", "Hugo", "hugo@client.test", "+33 1", "", "en", "1"]
    assert rows[1] == {"line": 3, "cells": [], "rejection": {"line": 3, "reason": "bad_email"}}
    assert rows[2]["cells"][:4] == ["MME", "Léger", "Zoé", "zoe@client.test"] and rows[2]["cells"][4] == ""

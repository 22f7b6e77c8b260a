"""Importing users through the pages: the format, the dry-run preview, the import and its report."""
from __future__ import annotations

import io
import re

import pytest

from gateway.web import imports

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
UPLOAD = re.compile(r'name="upload_id" value="([^"]+)"')
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
    assert not any(user["email"] == "emma@client.test" for user in portal.identity.users.values())
    sent = next(body for service, method, path, body in portal.calls if path == "/identity/imports")
    assert sent is None  # the file went as multipart, not JSON


def test_the_checked_file_is_imported_and_reported(client, portal):
    page = check(client, GOOD).get_data(as_text=True)
    token = CSRF.search(page).group(1)
    response = client.post("/administration/users/import/run",
                           data={"csrf_token": token, "upload_id": UPLOAD.search(page).group(1),
                                 "file_name": "users.csv"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/administration/imports/")
    assert {"emma@client.test", "hugo@client.test"} <= {u["email"] for u in portal.identity.users.values()}
    report = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Import report" in report and "finished" in report and "Refused lines" in report
    assert 'http-equiv="refresh"' not in report
    again = client.post("/administration/users/import/run", data={"csrf_token": token,
                                                                  "upload_id": UPLOAD.search(page).group(1)})
    assert again.status_code == 400 and "no longer available" in again.get_data(as_text=True)


def test_a_running_import_page_refreshes_itself(client, portal):
    portal.identity.imports["i1"] = {"id": "i1", "status": "running", "total": 100, "processed": 40,
                                     "created": 0, "rejected": [], "file_name": "big.csv"}
    page = client.get("/administration/imports/i1").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page and "40 of 100 lines processed" in page
    assert client.get("/administration/imports/nope").status_code == 404


def test_another_session_cannot_use_the_checked_file(client, portal):
    page = check(client, GOOD).get_data(as_text=True)
    upload_id = UPLOAD.search(page).group(1)
    client.set_cookie("portal_session", portal.open_session("claire@client.test"))
    token = CSRF.search(client.get("/administration/users/import").get_data(as_text=True)).group(1)
    response = client.post("/administration/users/import/run", data={"csrf_token": token, "upload_id": upload_id})
    assert response.status_code == 400
    for bad in ("../../etc/passwd", "x" * 32):
        response = client.post("/administration/users/import/run", data={"csrf_token": token, "upload_id": bad})
        assert response.status_code == 400


def test_refused_files_are_explained(client, portal, monkeypatch):
    response = check(client, b"")
    assert response.status_code == 400 and "The file is empty." in response.get_data(as_text=True)
    token = CSRF.search(client.get("/administration/users/import").get_data(as_text=True)).group(1)
    response = client.post("/administration/users/import", data={"csrf_token": token})
    assert response.status_code == 400 and "Choose the file to import." in response.get_data(as_text=True)
    monkeypatch.setattr(imports, "MAX_BYTES", 10)
    response = check(client, GOOD)
    assert response.status_code == 413 and "larger than 5 MB" in response.get_data(as_text=True)


def test_preview_reads_windows_files_and_commas():
    rows = imports.preview_rows("M,Léger,Zoé,zoe@client.test\n".encode("cp1252"), {})
    assert rows == [{"line": 1, "cells": ["M", "Léger", "Zoé", "zoe@client.test"], "rejection": None}]

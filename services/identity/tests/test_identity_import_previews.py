"""The dry run kept as a preview and started by its id (the gateway keeps no file), and what a
dry run tells of the portal's addresses: only the administered companies' ones."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from identity import import_runs, imports
from identity.models import UserImport
from identity.settings import IdentitySettings
from identity_testkit import ADMINISTRATION, SUPERVISION
from portalkit.db import utcnow

CONTENT = ("Civility;Last name;First name;Email address;Phone;Mobile;Language code;Security level\n"
           "MME;Dupont;Lovana;ldupont@company.ws;+685 11;+685 22;en-US;3\n"
           "M;Martin;Paul;not-an-address;;;en;2\n"
           "M;Test;Brian;btest@company.ws;;;FR-ca;1\n")


@pytest.fixture
def admin(portal):
    portal.register("C1")
    return portal.admin_of("C1")


def _dry_run(portal, headers, content=CONTENT, **form):
    return portal.client.post("/identity/imports", headers=headers, content_type="multipart/form-data",
                              data={"file": (io.BytesIO(content.encode()), "users.csv"), "dry_run": "true", **form})


def _start(portal, headers, import_id):
    return portal.client.post(f"/identity/imports/{import_id}/start", headers=headers)


def _run_worker(portal):
    return import_runs.process_pending(portal.database, IdentitySettings.load())


def test_a_dry_run_is_kept_and_started_by_its_id(portal, admin):
    answer = _dry_run(portal, admin)
    assert answer.status_code == 202, answer.json
    preview = answer.json
    assert (preview["status"], preview["total"], preview["created"]) == ("preview", 3, 0)
    assert [(r["line"], r["reason"]) for r in preview["rejected"]] == [(3, "bad_email")]
    assert preview["preview"] == [
        {"line": 2, "email": "ldupont@company.ws", "title": "MME", "last_name": "Dupont", "first_name": "Lovana",
         "phone": "+685 11", "mobile": "+685 22", "language": "en", "security_level": 3},
        {"line": 4, "email": "btest@company.ws", "title": "M", "last_name": "Test", "first_name": "Brian",
         "phone": "", "mobile": "", "language": "fr", "security_level": 1}]
    assert portal.user("ldupont@company.ws") is None and _run_worker(portal) == 0  # a preview is not queued
    assert portal.client.get("/identity/imports", headers=admin).json["total"] == 0
    started = _start(portal, admin, preview["id"])
    assert started.status_code == 202 and started.json["id"] == preview["id"]
    assert started.json["status"] == "queued"
    again = _start(portal, admin, preview["id"])
    assert again.status_code == 409 and again.json["error"]["code"] == "import_started"
    assert _run_worker(portal) == 1
    report = portal.client.get(f"/identity/imports/{preview['id']}", headers=admin).json
    assert (report["status"], report["total"], report["created"]) == ("done", 3, 2)
    assert [(r["line"], r["reason"]) for r in report["rejected"]] == [(3, "bad_email")]
    assert portal.user("btest@company.ws").language == "fr"
    assert [e["import_id"] for e in portal.events("UsersImported")] == [preview["id"]]
    assert [item["id"] for item in portal.client.get("/identity/imports", headers=admin).json["items"]] == [preview["id"]]
    _run_worker(portal)
    assert _start(portal, admin, preview["id"]).status_code == 409


def test_only_the_importer_starts_a_preview(portal, admin):
    portal.register("C2")
    import_id = _dry_run(portal, admin).json["id"]
    assert portal.create_user(admin, "second@c1.test").status_code == 201
    portal.activate("second@c1.test", "Second-Admin-Key-5")
    colleague = portal.caller("second@c1.test", {"C1": ADMINISTRATION})
    for headers in (portal.admin_of("C2"), colleague):
        refused = _start(portal, headers, import_id)
        assert refused.status_code == 404 and refused.json["error"]["code"] == "not_found"
    assert _start(portal, admin, "no-such-import").status_code == 404
    assert _start(portal, portal.caller("admin@c1.test"), import_id).status_code == 403  # the right withdrawn
    assert _start(portal, portal.as_caller(), import_id).status_code == 401
    assert _start(portal, admin, import_id).status_code == 202


def test_a_preview_is_forgotten_after_its_time(portal, admin, monkeypatch):
    monkeypatch.setenv("PORTAL_IMPORT_PREVIEW_MINUTES", "30")
    late, swept = _dry_run(portal, admin).json, _dry_run(portal, admin).json
    assert late["expires_at"]
    with portal.database.transaction() as session:
        for job in session.scalars(select(UserImport)):
            job.expires_at = utcnow() - timedelta(seconds=1)
    assert portal.client.get(f"/identity/imports/{late['id']}", headers=admin).json["status"] == "expired"
    gone = _start(portal, admin, late["id"])
    assert gone.status_code == 410 and gone.json["error"]["code"] == "preview_expired"
    with portal.database.sessions() as session:
        assert imports.forget_expired_previews(session) == 1  # the other one: the first was forgotten at once
    with portal.database.sessions() as session:
        assert [(job.status, job.content) for job in session.scalars(select(UserImport))] == [("expired", "")] * 2
    assert _start(portal, admin, swept["id"]).status_code == 410
    assert portal.user("ldupont@company.ws") is None and _run_worker(portal) == 0


def test_the_preview_lasts_the_setting(portal, admin, monkeypatch):
    monkeypatch.setenv("PORTAL_IMPORT_PREVIEW_MINUTES", "5")
    before = utcnow()
    import_id = _dry_run(portal, admin).json["id"]
    with portal.database.sessions() as session:
        expires_at = session.get(UserImport, import_id).expires_at
    assert timedelta(minutes=5) <= expires_at - before <= timedelta(minutes=5, seconds=5)


def test_a_dry_run_tells_only_the_administered_companies_addresses(portal, admin):
    portal.register("C2")
    portal.register("S1", parent="C1")
    assert portal.create_user(admin, "own@c1.test").status_code == 201
    content = ("M;Other;Company;ADMIN@c2.test;;;en;2\n"        # 1 another company's administrator
               "M;Portal;Operator;op@vendor.test;;;en;2\n"     # 2 an operator
               "M;Own;User;own@c1.test;;;en;2\n"               # 3 the caller's own company
               "M;New;User;new@c1.test;;;en;2\n"               # 4 free
               "M;Sub;Admin;admin@s1.test;;;en;2\n")            # 5 a supervised associate's
    preview = _dry_run(portal, admin, content).json
    assert [(r["line"], r["reason"]) for r in preview["rejected"]] == [(3, "user_exists")]
    assert [line["email"] for line in preview["preview"]] == [
        "admin@c2.test", "op@vendor.test", "new@c1.test", "admin@s1.test"]
    supervisor = portal.caller("admin@c1.test", {"C1": SUPERVISION})
    supervised = _dry_run(portal, supervisor, content).json
    assert [(r["line"], r["reason"]) for r in supervised["rejected"]] == [(3, "user_exists"), (5, "user_exists")]
    # The real import refuses them all, saying no more than that the address has an account.
    assert _start(portal, admin, preview["id"]).status_code == 202
    _run_worker(portal)
    report = portal.client.get(f"/identity/imports/{preview['id']}", headers=admin).json
    assert [(r["line"], r["reason"]) for r in report["rejected"]] == [
        (1, "user_exists"), (2, "user_exists"), (3, "user_exists"), (5, "user_exists")]
    assert len({r["message"] for r in report["rejected"]}) == 1
    assert not any(word in report["rejected"][0]["message"].lower() for word in ("c2", "company", "operator"))
    assert report["created"] == 1 and portal.user("new@c1.test").company_id == portal.companies["C1"]


def test_a_user_created_after_the_preview_is_refused_at_the_start(portal, admin):
    import_id = _dry_run(portal, admin).json["id"]
    assert portal.create_user(admin, "ldupont@company.ws").status_code == 201
    assert _start(portal, admin, import_id).status_code == 202
    _run_worker(portal)
    report = portal.client.get(f"/identity/imports/{import_id}", headers=admin).json
    assert [(r["line"], r["reason"]) for r in report["rejected"]] == [(2, "user_exists"), (3, "bad_email")]
    assert report["created"] == 1


def test_creating_a_user_with_a_taken_address_still_says_so(portal, admin):
    portal.register("C2")
    for address in ("admin@c2.test", "op@vendor.test"):
        answer = portal.create_user(admin, address)
        assert answer.status_code == 409 and answer.json["error"]["code"] == "user_exists"

"""The CSV import of users: the manual's format in all its spellings, every rejection reason,
the background run with its progress and report, and hostile files."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from identity import csv_format, import_runs
from identity.models import User, UserImport
from identity.settings import IdentitySettings
from portalkit.db import utcnow

SAMPLE = ("MME;Dupont;Lovana;ldupont@company.ws;+685 XX XX XX;+685 XX XX XX;en-US;3\n"
          "M;TEST;Brian;btest@gmail2.com;;;en-US;2\n"
          "MME;TEST1;Wendy;wtest1@gmail2.com;;;en-US;3\n"
          "MLE;TEST2;Julia;jtest2@gmail2.com;;;en-US;2\n")


@pytest.fixture
def admin(portal):
    portal.register("C1")
    return portal.admin_of("C1")


def _upload(portal, headers, content: bytes | str, dry_run=False, name="users.csv", **form):
    raw = content.encode() if isinstance(content, str) else content
    data = {"file": (io.BytesIO(raw), name), **({"dry_run": "true"} if dry_run else {}), **form}
    return portal.client.post("/identity/imports", data=data, headers=headers, content_type="multipart/form-data")


def _run_worker(portal):
    return import_runs.process_pending(portal.database, IdentitySettings.load())


def _users(portal):
    with portal.database.sessions() as session:
        return session.scalar(select(func.count()).select_from(User).where(User.is_operator.is_(False)))


def test_the_manuals_sample_is_imported_in_the_background(portal, admin):
    started = _upload(portal, admin, SAMPLE)
    assert started.status_code == 202 and started.json["status"] == "queued" and started.json["total"] == 4
    import_id = started.json["id"]
    assert portal.client.get(f"/identity/imports/{import_id}", headers=admin).json["processed"] == 0
    assert _run_worker(portal) == 1
    report = portal.client.get(f"/identity/imports/{import_id}", headers=admin).json
    assert report["status"] == "done" and report["created"] == 4 and report["rejected"] == []
    lovana = portal.user("ldupont@company.ws")
    assert (lovana.title, lovana.language, lovana.security_level, lovana.mobile_phone) == ("MME", "en", 3, "+685 XX XX XX")
    assert lovana.password_hash is None and lovana.status == "not_activated"
    created = [e for e in portal.events("UserCreated") if e["email"].endswith(("company.ws", "gmail2.com"))]
    assert len(created) == 4 and all(e["activation_token"] for e in created)
    [mailed] = portal.events("UsersImported")
    assert mailed["email"] == "admin@c1.test" and (mailed["total"], mailed["created"]) == (4, 4)
    listed = portal.client.get("/identity/imports", headers=admin).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == import_id
    actions = [e["action"] for e in portal.client.get("/identity/administration-audits", headers=admin).json["items"]]
    assert actions[:2] == ["import_finished", "import_started"]


def test_dry_run_reports_every_reason_and_creates_nothing(portal, admin):
    lines = [
        "Civility;Last name;First name;Email address;Phone;Mobile;Language code;Security level",  # 1 header
        "MME;Dupont;Lovana;ldupont@company.ws;;;fr-FR;3",      # 2 good
        "M;Martin;Paul;not-an-address;;;en-US;2",               # 3
        "M;Martin;Paul;LDUPONT@company.ws;;;en-US;2",           # 4 duplicate of line 2
        "M;Durand;Claire;admin@c1.test;;;en-US;2",              # 5 existing account
        "DR;House;Greg;greg@company.ws;;;en-US;2",              # 6
        "M;Martin;Paul;paul@company.ws;;;de-DE;2",              # 7
        "M;Martin;Paul;paul2@company.ws;;;en-US;4",             # 8
        "M;Martin;Paul;paul3@company.ws;;;en-US;2;extra",       # 9
        "M;Martin;Paul;paul4@company.ws;;;en-US",               # 10
        "M;;Paul;paul5@company.ws;;;en-US;2",                   # 11
        "",                                                      # 12 blank: skipped
        "M;Martin;Paul;paul6@company.ws;;;en;1;;",              # 13 good (Excel's trailing separators)
    ]
    report = _upload(portal, admin, "\r\n".join(lines), dry_run=True)
    assert report.status_code == 202, report.json
    body = report.json
    assert (body["status"], body["total"], body["accepted"], body["created"]) == ("preview", 11, 2, 0)
    assert [line["line"] for line in body["preview"]] == [2, 13]
    assert [(r["line"], r["reason"]) for r in body["rejected"]] == [
        (3, "bad_email"), (4, "duplicate_in_file"), (5, "user_exists"), (6, "unknown_civility"),
        (7, "unknown_language"), (8, "bad_level"), (9, "too_many_columns"), (10, "missing_columns"), (11, "bad_name")]
    assert all(r["message"] for r in body["rejected"])
    assert _users(portal) == 1
    with portal.database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(UserImport).where(UserImport.status != "preview")) == 0


@pytest.mark.parametrize("encoding, bom", [("utf-8", False), ("utf-8", True), ("cp1252", False)])
def test_encodings_and_separators(portal, admin, encoding, bom):
    content = "MME,Lefèvre,Chloé,chloe@company.ws,,,fr-FR,2\nM,Müller,Jürgen,jurgen@company.ws,,,en-GB,1\n"
    raw = ("\ufeff" if bom else "").encode(encoding) + content.encode(encoding)
    assert _upload(portal, admin, raw).status_code == 202
    _run_worker(portal)
    chloe = portal.user("chloe@company.ws")
    assert (chloe.last_name, chloe.first_name, chloe.language) == ("Lefèvre", "Chloé", "fr")
    assert portal.user("jurgen@company.ws").last_name == "Müller"


def test_quoted_cells_keep_their_separators(portal, admin):
    content = 'MME;"Dupont; née Martin";"Anne ""Nan""";anne@company.ws;;;fr-FR;2\n'
    assert _upload(portal, admin, content).status_code == 202
    _run_worker(portal)
    anne = portal.user("anne@company.ws")
    assert (anne.last_name, anne.first_name) == ("Dupont; née Martin", 'Anne "Nan"')


@pytest.mark.parametrize("content, status, code", [
    ("", 400, "empty_file"),
    ("\n\n  \n", 400, "empty_file"),
    ("MME\tDupont\tLovana\tl@company.ws\t\t\ten-US\t3\n", 400, "csv_separator"),
    ("MME;Dupont;Lovana;l@company.ws;;;en-US;3\n".encode("utf-16"), 400, "not_csv"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00binary;xlsx,zip", 400, "not_csv"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 400, "not_csv"),
])
def test_files_that_are_not_csv_are_refused_whole(portal, admin, content, status, code):
    for dry_run in (True, False):
        response = _upload(portal, admin, content, dry_run=dry_run)
        assert response.status_code == status and response.json["error"]["code"] == code
    assert _users(portal) == 1


def test_a_missing_file_or_bad_form_is_400(portal, admin):
    assert portal.client.post("/identity/imports", data={}, headers=admin,
                              content_type="multipart/form-data").status_code == 400
    maybe = portal.client.post("/identity/imports", data={"file": (io.BytesIO(SAMPLE.encode()), "u.csv"),
                                                          "dry_run": "perhaps"},
                               headers=admin, content_type="multipart/form-data")
    assert maybe.status_code == 400 and "dry_run" in maybe.json["error"]["fields"]


def test_oversized_files_are_refused_before_anything_is_created(portal, admin):
    line = "M;Martin;Paul;paul{}@company.ws;;;en-US;2\n"
    too_many = "".join(line.format(i) for i in range(20_001))
    refused = _upload(portal, admin, too_many)
    assert refused.status_code == 413 and refused.json["error"]["code"] == "too_many_lines"
    with_header = "Civility;Last name;First name;Email address;Phone;Mobile;Language code;Security level\n" + \
        "".join(line.format(i) for i in range(20_000))
    assert _upload(portal, admin, with_header, dry_run=True).json["accepted"] == 20_000
    too_big = "M;Martin;Paul;p@company.ws;;;en-US;2;" + "x" * (5 * 1024 * 1024) + "\n"
    big = _upload(portal, admin, too_big)
    assert big.status_code == 413 and big.json["error"]["code"] == "too_large"
    with portal.database.sessions() as session:  # only the accepted dry run's preview is kept
        assert session.scalars(select(UserImport.status)).all() == ["preview"]
    assert _users(portal) == 1


def test_formula_cells_never_come_back_unescaped(portal, admin):
    content = ("M;=HYPERLINK(\"http://evil\");@SUM(A1);evil@company.ws;+33 1 2;-1;en-US;2\n"
               "M;=cmd|' /C calc'!A0;Paul;=bad@;;;en-US;2\n")
    import_id = _upload(portal, admin, content).json["id"]
    _run_worker(portal)
    evil = portal.user("evil@company.ws")
    assert evil.last_name == '=HYPERLINK("http://evil")'  # kept as typed: exports escape it
    for path in (f"/identity/imports/{import_id}/rejected.csv", "/identity/users.csv"):
        response = portal.client.get(path, headers=admin)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8").lstrip("\ufeff")), delimiter=";"))
        assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row), rows
    rejected = portal.client.get(f"/identity/imports/{import_id}/rejected.csv", headers=admin).data.decode("utf-8")
    assert "'=cmd|' /C calc'!A0" in rejected and "e-mail address is missing or not valid" in rejected
    # An exported file imports back as it was typed: the escaping quote is taken off.
    exported = portal.client.get("/identity/users.csv?q=evil", headers=admin).data
    portal.client.delete(f"/identity/users/{evil.id}", headers=admin)
    assert _upload(portal, admin, exported).status_code == 202
    _run_worker(portal)
    again = portal.user("evil@company.ws")
    assert (again.last_name, again.office_phone, again.mobile_phone) == ('=HYPERLINK("http://evil")', "+33 1 2", "-1")


def test_progress_is_shown_chunk_by_chunk_and_a_dead_run_resumes(portal, admin, monkeypatch):
    monkeypatch.setenv("PORTAL_IMPORT_CHUNK_LINES", "2")
    content = "".join(f"M;Martin;Paul;paul{i}@company.ws;;;en-US;2\n" for i in range(5)) + "M;X;Y;bad;;;en;1\n"
    import_id = _upload(portal, admin, content).json["id"]
    settings = IdentitySettings.load()
    original = import_runs._create_chunk
    calls = []

    def crash_after_two_chunks(session, settings, job, chunk):
        calls.append(len(chunk))
        if len(calls) == 3:
            raise RuntimeError("worker killed")
        original(session, settings, job, chunk)
    monkeypatch.setattr(import_runs, "_create_chunk", crash_after_two_chunks)
    job_id = import_runs._claim(portal.database, settings)
    with pytest.raises(RuntimeError):
        import_runs.run(portal.database, settings, job_id)
    progress = portal.client.get(f"/identity/imports/{import_id}", headers=admin).json
    assert (progress["status"], progress["processed"], progress["created"]) == ("running", 4, 4)
    monkeypatch.setattr(import_runs, "_create_chunk", original)
    assert _run_worker(portal) == 0  # still running: another worker leaves it alone while fresh
    with portal.database.transaction() as session:
        session.get(UserImport, import_id).heartbeat_at = utcnow() - timedelta(minutes=5)
    assert _run_worker(portal) == 1
    report = portal.client.get(f"/identity/imports/{import_id}", headers=admin).json
    assert (report["status"], report["total"], report["created"]) == ("done", 6, 5)
    assert report["rejected"] == [{"line": 6, "reason": "bad_email", "message": report["rejected"][0]["message"]}]


def test_imports_are_for_administrators_of_the_company(portal, admin):
    portal.register("C2")
    import_id = _upload(portal, admin, SAMPLE).json["id"]
    other = portal.admin_of("C2")
    assert portal.client.get(f"/identity/imports/{import_id}", headers=other).status_code == 404
    assert portal.client.get(f"/identity/imports/{import_id}/rejected.csv", headers=other).status_code == 404
    assert _upload(portal, other, SAMPLE, company_id=portal.companies["C1"]).status_code == 404
    assert _upload(portal, portal.caller("admin@c1.test"), SAMPLE).status_code == 403
    assert portal.client.get("/identity/imports", headers=other).json["total"] == 0


def test_the_upload_answers_its_report_in_the_reports_shape(portal, admin):
    started = _upload(portal, admin, SAMPLE + "M;Martin;Paul;not-an-address;;;en-US;2\n")
    assert started.status_code == 202
    assert (started.json["status"], started.json["total"], started.json["rejected"]) == ("queued", 5, [])
    assert started.json == portal.client.get(f"/identity/imports/{started.json['id']}", headers=admin).json


def test_an_unbalanced_quote_refuses_its_line_only(portal, admin):
    content = ("MME;Dupont;Lovana;l1@company.ws;;;en-US;3\n"
               "M;Martin;Paul;p2@company.ws;;;en-US;2\n"
               'MME;"Dupont;Anne;a3@company.ws;;;fr-FR;2\n'
               "M;Petit;Jean;j4@company.ws;;;fr;1\n"
               'M;"Leroy";Marc;m5@company.ws;;;en;2\n'
               'M;"Roux"x;Lou;l6@company.ws;;;en;2\n')
    preview = _upload(portal, admin, content, dry_run=True).json
    assert [(r["line"], r["reason"]) for r in preview["rejected"]] == [(3, "unbalanced_quote"), (6, "unbalanced_quote")]
    assert [line["line"] for line in preview["preview"]] == [1, 2, 4, 5]
    import_id = _upload(portal, admin, content).json["id"]
    _run_worker(portal)
    report = portal.client.get(f"/identity/imports/{import_id}", headers=admin).json
    assert (report["total"], report["created"]) == (6, 4)
    assert [(r["line"], r["reason"]) for r in report["rejected"]] == [(3, "unbalanced_quote"), (6, "unbalanced_quote")]
    assert all(portal.user(f"{name}@company.ws") for name in ("l1", "p2", "j4", "m5"))
    assert portal.user("m5@company.ws").last_name == "Leroy"
    rejected = portal.client.get(f"/identity/imports/{import_id}/rejected.csv", headers=admin).data.decode("utf-8")
    assert "a3@company.ws" in rejected and "l6@company.ws" in rejected


def test_a_line_break_or_control_character_in_a_cell_is_refused(portal, admin):
    content = ('M;"Martin\nPaul";Paul;p1@company.ws;;;en;2\n'
               "M;Martin;Pa\u2028ul;p2@company.ws;;;en;2\n"
               "M;Martin;Paul;p3@company.ws;+33\u00851;;en;2\n"
               "M;Martin;Paul;p4@company.ws;;;en;2\n")
    preview = _upload(portal, admin, content, dry_run=True).json
    assert [(r["line"], r["reason"]) for r in preview["rejected"]] == [
        (1, "unbalanced_quote"), (2, "missing_columns"), (3, "bad_name"), (4, "bad_phone")]
    assert [line["email"] for line in preview["preview"]] == ["p4@company.ws"]


def test_rejected_csv_imports_again_as_it_is(portal, admin):
    content = ("M;Martin;Paul;paul@company.ws;;;en-US;2\n"
               "M;Martin;Jean;not-an-address;;;en-US;2\n"
               "MME;Martin;Léa;lea@company.ws;;;de;2\n"
               "M;Martin;Luc;luc@company.ws;;;en;2;extra\n")
    import_id = _upload(portal, admin, content).json["id"]
    _run_worker(portal)
    exported = portal.client.get(f"/identity/imports/{import_id}/rejected.csv", headers=admin).data
    header, *rows = list(csv.reader(io.StringIO(exported.decode("utf-8").lstrip("\ufeff")), delimiter=";"))
    assert header[8] == "Reason" and [row[8] for row in rows] == [
        csv_format.REASONS[reason] for reason in ("bad_email", "unknown_language", "too_many_columns")]
    again = _upload(portal, admin, exported, dry_run=True).json
    assert [(r["line"], r["reason"]) for r in again["rejected"]] == [
        (2, "bad_email"), (3, "unknown_language"), (4, "too_many_columns")]
    corrected = exported.decode("utf-8").replace("not-an-address", "jean@company.ws").replace(";de;", ";fr-FR;")
    second = _upload(portal, admin, corrected).json["id"]
    _run_worker(portal)
    report = portal.client.get(f"/identity/imports/{second}", headers=admin).json
    assert (report["created"], [r["reason"] for r in report["rejected"]]) == (2, ["too_many_columns"])
    assert portal.user("lea@company.ws").language == "fr" and portal.user("jean@company.ws").last_name == "Martin"

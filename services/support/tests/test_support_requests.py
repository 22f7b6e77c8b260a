"""support's routes through the Flask client, signed as the gateway signs: opening (numbered,
product held, followers colleagues, attachments checked by content, nothing kept of a refusal),
scopes and 404s, the thread without internal notes, decisions, the summary, deflections."""
from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from portalkit.db import utcnow
from portalkit.testing import recorded_events

from support import api
from support.models import OutboxMessage, RequestAttachment, SupportRequest

from support_scene import ADMIN, OWN, SUPERVISION, headers, operator

PDF = b"%PDF-1.7\n" + b"0" * 2000
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def _open(client, who, **fields):
    body = {"subject": "Payslips do not print", "description": "Since this morning.", "severity": "major", **fields}
    return client.post("/support/requests", json=body, headers=who)


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def _events(database, kind=None):
    events = recorded_events(database, OutboxMessage)
    return [event for event in events if kind is None or event["type"] == kind]


def _stored_files(tmp_path: Path) -> int:
    root = tmp_path / "files"
    return len([path for path in root.rglob("*") if path.is_file() and ".incoming" not in path.parts])


def test_a_request_is_numbered_per_year_and_told(client, scene, database):
    ann = headers("ann", "acme", OWN)
    first = _created(_open(client, ann, product="pay", followers=["bob"], contact_phone="+33 4 00 00 00 00"))
    second = _created(_open(client, ann))
    year = utcnow().year
    assert (first["number"], second["number"]) == (f"SR-{year}-000001", f"SR-{year}-000002")
    assert first["status"] == "new" and first["clock"]["first_response_due"]
    [opened, _] = _events(database, "SupportRequestOpened")
    data = opened["data"]
    assert (data["number"], data["user_id"], data["email"], data["kind"]) == (first["number"], "ann",
                                                                            "ann@example.com", "opened")
    assert [(f["user_id"], f["language"]) for f in data["followers"]] == [("bob", "fr")]
    assert (data["product_name_en"], data["product_name_fr"]) == ("Payroll", "Paie")


def test_operator_fields_unknown_products_and_strangers_are_refused(client, scene, database):
    ann = headers("ann", "acme", OWN)
    for field, value in (("assignee_id", "op1"), ("internal", True), ("first_response_due", "2030-01-01T00:00:00Z"),
                         ("status", "resolved")):
        refused = _open(client, ann, **{field: value})
        assert refused.status_code == 400 and field in refused.get_json()["error"]["fields"], field
    assert _open(client, ann, product="acc").get_json()["error"]["fields"] == {"product": ["Not a product your company holds."]}
    stranger = _open(client, ann, followers=["oli"])
    assert stranger.status_code == 400 and "oli" in stranger.get_json()["error"]["fields"]["followers"][0]
    assert _open(client, ann, severity="urgent").status_code == 400
    assert _open(client, headers("ann", "acme")).status_code == 403
    assert _open(client, operator()).status_code == 403
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SupportRequest)) == 0


def test_markup_is_stored_as_given(client, scene):
    ann = headers("ann", "acme", OWN)
    created = _created(_open(client, ann, description="<script>alert(1)</script> & <b>bold</b>"))
    shown = client.get(f"/support/requests/{created['id']}", headers=ann).get_json()
    assert shown["description"] == "<script>alert(1)</script> & <b>bold</b>"


def _multipart(client, who, files, **fields):
    data = {"subject": "Printer", "description": "See attached", "severity": "minor", **fields,
            "attachments": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/support/requests", data=data, headers=who, content_type="multipart/form-data")


def test_attachments_are_checked_by_content_and_served_back(client, scene, tmp_path):
    ann = headers("ann", "acme", OWN)
    created = _created(_multipart(client, ann, [("report.pdf", PDF), ("log.txt", "état: échec\n".encode())],
                                  followers="bob"))
    kinds = sorted((a["file_name"], a["content_type"]) for a in created["attachments"])
    assert kinds == [("log.txt", "text/plain"), ("report.pdf", "application/pdf")]
    pdf = next(a for a in created["attachments"] if a["file_name"] == "report.pdf")
    download = client.get(pdf["url"].removeprefix("/api"), headers=ann)
    assert download.status_code == 200 and download.data == PDF
    bob = headers("bob", "acme", OWN)
    assert client.get(pdf["url"].removeprefix("/api"), headers=bob).status_code == 200  # a follower
    assert client.get(pdf["url"].removeprefix("/api"), headers=headers("oli", "other", OWN)).status_code == 404


def test_a_refused_file_refuses_everything_naming_it(client, scene, database, tmp_path):
    ann = headers("ann", "acme", OWN)
    refused = _multipart(client, ann, [("report.pdf", PDF), ("setup.pdf", EXE)])
    assert refused.status_code == 400
    error = refused.get_json()["error"]
    assert error["code"] == "file_refused" and "setup.pdf" in error["message"]
    assert "setup.pdf" in error["fields"]["attachments"][0]
    page = _multipart(client, ann, [("page.txt", b"<!DOCTYPE html><html><script>x</script>")])
    assert page.status_code == 400 and "page.txt" in page.get_json()["error"]["message"]
    assert _stored_files(tmp_path) == 0
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SupportRequest)) == 0
        assert session.scalar(select(func.count()).select_from(RequestAttachment)) == 0


def test_a_file_over_the_limit_is_413_with_nothing_stored(client, scene, database, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_SUPPORT_ATTACHMENT_MAX_BYTES", "4096")
    ann = headers("ann", "acme", OWN)
    refused = _multipart(client, ann, [("small.pdf", PDF), ("big.pdf", PDF * 3)])
    assert refused.status_code == 413 and refused.get_json()["error"]["code"] == "too_large"
    assert _stored_files(tmp_path) == 0
    bad_fields = _multipart(client, ann, [("small.pdf", PDF)], severity="urgent")
    assert bad_fields.status_code == 400 and _stored_files(tmp_path) == 0
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SupportRequest)) == 0


def test_scopes_own_company_supervised_and_404_elsewhere(client, scene):
    ann, bob = headers("ann", "acme", OWN), headers("bob", "acme", OWN)
    sam = headers("sam", "shop", OWN)
    mine = _created(_open(client, ann, subject="Ann's payslips", product="pay"))
    followed = _created(_open(client, ann, subject="Shared", followers=["bob"]))
    bobs = _created(_open(client, bob, subject="Bob's own"))
    shops = _created(_open(client, sam, subject="Shop till"))

    def listed(who, **query):
        answer = client.get("/support/requests", query_string=query, headers=who)
        assert answer.status_code == 200, answer.get_json()
        return {item["id"] for item in answer.get_json()["items"]}

    assert listed(ann) == {mine["id"], followed["id"]}
    assert listed(bob) == {followed["id"], bobs["id"]}
    assert client.get("/support/requests", query_string={"scope": "company"}, headers=ann).status_code == 403
    admin = headers("cid", "acme", OWN, ADMIN)
    assert listed(admin, scope="company") == {mine["id"], followed["id"], bobs["id"]}
    assert listed(admin, scope="company", q="payslips") == {mine["id"]}
    assert listed(admin, scope="company", q=bobs["number"].lower()) == {bobs["id"]}
    # Supervision of Branch: Branch and Shop below it, never Acme above it nor Other beside it.
    supervisor = headers("bea", "branch", OWN, f"{SUPERVISION}@branch")
    assert listed(supervisor, scope="supervised") == {shops["id"]}
    top = headers("cid", "acme", OWN, f"{SUPERVISION}@acme")
    assert listed(top, scope="supervised") == {mine["id"], followed["id"], bobs["id"], shops["id"]}
    # The supervisor's company picker and the product criterion narrow the scope, never widen it.
    assert listed(top, scope="supervised", company="shop") == {shops["id"]}
    assert listed(supervisor, scope="supervised", company="acme") == set()
    assert listed(admin, scope="company", product="pay") == {mine["id"]}
    assert listed(admin, scope="company", product="acc") == set()
    assert client.get(f"/support/requests/{mine['id']}", headers=supervisor).status_code == 404
    assert client.get(f"/support/requests/{shops['id']}", headers=supervisor).status_code == 200
    # A colleague without the company right, another company's user: 404 on every route.
    oli = headers("oli", "other", OWN, ADMIN)
    for who in (oli, bob):
        for path in ("", "/history"):
            assert client.get(f"/support/requests/{mine['id']}{path}", headers=who).status_code == 404
        for action in ("resolve", "close", "reopen"):
            assert client.post(f"/support/requests/{mine['id']}/{action}", headers=who).status_code == 404
        assert client.post(f"/support/requests/{mine['id']}/comments", json={"body": "hi"},
                           headers=who).status_code == 404
    assert client.get("/support/requests", headers=headers("ann", "acme")).status_code == 403
    assert client.get("/support/requests", query_string={"scope": "supervised"}, headers=ann).status_code == 403


def test_the_thread_hides_internal_notes_and_the_clock_shows(client, scene, database):
    ann = headers("ann", "acme", OWN)
    created = _created(_open(client, ann, followers=["bob"]))
    path = f"/operator/support/requests/{created['id']}"
    note = client.post(f"{path}/answers", json={"body": "Customer is on v6, suspicious", "internal": True},
                       headers=operator())
    assert note.status_code == 201
    answered = client.post(f"{path}/answers", json={"body": "Please reinstall the printer driver."},
                           headers=operator())
    assert answered.status_code == 201 and answered.get_json()["status"] == "in_progress"
    assert [c["internal"] for c in answered.get_json()["thread"]] == [True, False]
    shown = client.get(f"/support/requests/{created['id']}", headers=ann).get_json()
    assert [c["body"] for c in shown["thread"]] == ["Please reinstall the printer driver."]
    assert shown["thread"][0]["author"] == {"user_id": None, "name": "Support", "kind": "operator"}
    assert shown["clock"]["first_response_at"] and shown["clock"]["running"] == "resolution"
    assert shown["clock"]["answer_expected_by"] == shown["clock"]["resolution_due"]
    assert [m["to_status"] for m in shown["history"]] == ["new", "in_progress"]
    texts = json.dumps(_events(database))
    assert "suspicious" not in texts and "reinstall the printer driver" in texts
    [update] = [e for e in _events(database, "SupportRequestUpdated") if e["data"]["kind"] == "answered"]
    assert update["data"]["answer"] == "Please reinstall the printer driver."


def test_waiting_for_the_customer_and_the_clients_answer(client, scene, database):
    ann = headers("ann", "acme", OWN)
    created = _created(_open(client, ann))
    path = f"/operator/support/requests/{created['id']}"
    waiting = client.post(f"{path}/status", json={"status": "waiting_for_customer"}, headers=operator())
    assert waiting.status_code == 200 and waiting.get_json()["clock"]["paused"] is True
    assert _events(database, "SupportRequestUpdated")[-1]["data"]["kind"] == "waiting_for_customer"
    answered = client.post(f"/support/requests/{created['id']}/comments", json={"body": "Done, still broken"},
                           headers=ann)
    assert answered.status_code == 201
    body = answered.get_json()
    assert body["status"] == "in_progress" and body["clock"]["paused"] is False
    assert body["history"][-1]["actor"]["kind"] == "system"
    moved = client.post(f"{path}/status", json={"status": "reopened"}, headers=operator())
    assert moved.status_code == 409 and moved.get_json()["error"]["code"] == "move_not_allowed"


def test_the_requester_resolves_reopens_and_closes(client, scene, database, monkeypatch):
    ann, bob = headers("ann", "acme", OWN), headers("bob", "acme", OWN)
    created = _created(_open(client, ann, followers=["bob"]))
    base = f"/support/requests/{created['id']}"
    assert client.post(f"{base}/resolve", headers=bob).status_code == 403  # a follower comments only
    assert client.post(f"{base}/reopen", headers=ann).status_code == 409
    resolved = client.post(f"{base}/resolve", headers=ann)
    assert resolved.status_code == 200 and resolved.get_json()["allowed_moves"] == ["closed", "reopened"]
    assert _events(database, "SupportRequestResolved")[-1]["data"]["actor_kind"] == "client"
    assert client.post(f"{base}/reopen", headers=ann).get_json()["status"] == "reopened"
    closed = client.post(f"{base}/close", headers=ann)
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert client.post(f"{base}/comments", json={"body": "one more"}, headers=ann).status_code == 409
    later = utcnow() + timedelta(days=31)
    monkeypatch.setattr(api, "now", lambda: later)
    too_late = client.post(f"{base}/reopen", headers=ann)
    assert too_late.status_code == 409 and too_late.get_json()["error"]["code"] == "reopen_window_passed"
    history = client.get(f"{base}/history", headers=ann).get_json()
    assert [(m["from_status"], m["to_status"]) for m in history["items"]] == [
        (None, "new"), ("new", "resolved"), ("resolved", "reopened"), ("reopened", "closed")]


def test_the_operators_queue_filters(client, scene, monkeypatch):
    monday_ten = datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr(api, "now", lambda: monday_ten)
    ann, sam = headers("ann", "acme", OWN), headers("sam", "shop", OWN)
    blocking = _created(_open(client, ann, severity="blocking", product="pay"))
    minor = _created(_open(client, sam, severity="minor"))
    assert client.get("/operator/support/requests", headers=ann).status_code == 403

    def queue(**query):
        answer = client.get("/operator/support/requests", query_string=query, headers=operator())
        assert answer.status_code == 200, answer.get_json()
        return {item["id"] for item in answer.get_json()["items"]}

    assert queue() == {blocking["id"], minor["id"]}
    assert queue(severity="blocking") == queue(product_id="pay") == queue(company_id="acme") == {blocking["id"]}
    assigned = client.post(f"/operator/support/requests/{blocking['id']}/assign", json={"assignee_id": "op1"},
                           headers=operator())
    assert assigned.status_code == 200 and assigned.get_json()["assignee_id"] == "op1"
    assert queue(assignee="me") == {blocking["id"]} and queue(assignee="none") == {minor["id"]}
    assert queue(clock="on_time") == {blocking["id"], minor["id"]}
    monkeypatch.setattr(api, "now", lambda: monday_ten + timedelta(hours=3, minutes=30))
    assert queue(clock="at_risk") == {blocking["id"]}
    monkeypatch.setattr(api, "now", lambda: monday_ten + timedelta(hours=5))  # blocking: 4 h to answer
    assert queue(clock="breached") == {blocking["id"]} and queue(clock="on_time") == {minor["id"]}
    assert client.get("/operator/support/requests/nope", headers=operator()).status_code == 404
    assert client.get("/operator/support/requests", query_string={"clock": "late"}, headers=operator()).status_code == 400


def test_the_home_summary_counts_unread_answers(client, scene):
    ann = headers("ann", "acme", OWN)
    created = _created(_open(client, ann))
    _created(_open(client, ann))
    path = f"/operator/support/requests/{created['id']}/answers"
    client.post(path, json={"body": "First answer"}, headers=operator())
    client.post(path, json={"body": "A note", "internal": True}, headers=operator())
    assert client.get("/support/summary", headers=ann).get_json() == {"in_progress": 2, "new_contents": 1}
    client.get(f"/support/requests/{created['id']}", headers=ann)
    assert client.get("/support/summary", headers=ann).get_json() == {"in_progress": 2, "new_contents": 0}
    assert client.get("/support/summary", headers=headers("bob", "acme")).get_json() == {
        "in_progress": 0, "new_contents": 0}


def test_deflections_are_counted_for_the_operators(client, scene):
    ann = headers("ann", "acme", OWN)
    for article in ("a1", "a1", None):
        answer = client.post("/support/deflections", json={"subject": "Printing payslips", "article_id": article},
                             headers=ann)
        assert answer.status_code == 201
    listed = client.get("/operator/support/deflections", headers=operator()).get_json()
    assert listed["total"] == 3 and listed["by_article"] == {"a1": 2, "none": 1}
    assert client.post("/support/deflections", json={}, headers=ann).status_code == 400


def test_the_company_products_to_choose_from(client, scene):
    answer = client.get("/support/products", headers=headers("ann", "acme", OWN, language="fr"))
    assert answer.get_json() == {"items": [{"id": "pay", "code": "PAY", "name": "Paie"}], "total": 1}


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]"])
def test_unreadable_bodies_are_400(client, scene, body):
    answer = client.post("/support/requests", data=body, headers={**headers("ann", "acme", OWN),
                                                                   "Content-Type": "application/json"})
    assert answer.status_code == 400


def test_the_requester_reads_the_colleagues_who_may_follow(client, scene):
    ann, bob = headers("ann", "acme", OWN), headers("bob", "acme", OWN)
    created = _created(_open(client, ann))
    path = f"/support/requests/{created['id']}/colleagues"
    listed = client.get(path, headers=ann)
    assert listed.status_code == 200
    assert {colleague["user_id"] for colleague in listed.get_json()["items"]} == {"bob", "cid"}  # not ann, not shop's
    client.post(f"/support/requests/{created['id']}/followers", json={"user_ids": ["bob"]}, headers=ann)
    assert [c["user_id"] for c in client.get(path, headers=ann).get_json()["items"]] == ["cid"]
    assert client.get(path, query_string={"q": "nobody"}, headers=ann).get_json() == {"items": [], "total": 0}
    assert client.get(path, headers=bob).status_code == 403  # a follower comments, does not add
    assert client.get(path, headers=headers("oli", "other", OWN)).status_code == 404


def test_the_requester_adds_colleagues_as_followers(client, scene, database):
    ann, bob = headers("ann", "acme", OWN), headers("bob", "acme", OWN)
    created = _created(_open(client, ann))
    path = f"/support/requests/{created['id']}/followers"
    assert client.get(f"/support/requests/{created['id']}", headers=bob).status_code == 404
    assert client.post(path, json={"user_ids": ["oli"]}, headers=ann).status_code == 400
    assert client.post(path, json={"user_ids": ["bob"]}, headers=bob).status_code == 404
    added = client.post(path, json={"user_ids": ["bob", "cid", "bob"]}, headers=ann)
    assert added.status_code == 200
    assert [f["user_id"] for f in added.get_json()["followers"]] == ["bob", "cid"]
    assert client.get(f"/support/requests/{created['id']}", headers=bob).status_code == 200
    assert client.post(path, json={"user_ids": ["ann"]}, headers=bob).status_code == 403  # a follower
    client.post(f"/operator/support/requests/{created['id']}/answers", json={"body": "Hello"}, headers=operator())
    [update] = [e for e in _events(database, "SupportRequestUpdated") if e["data"]["kind"] == "answered"]
    assert [f["user_id"] for f in update["data"]["followers"]] == ["bob", "cid"]

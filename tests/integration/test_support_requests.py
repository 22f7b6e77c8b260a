"""Support requests through the gateway, on both backends: a plain user opens a request with an
attachment, an operator writes an internal note and answers, the user sees the answer (never the
note) and the clock, and resolves it; the mails reach the sink (the note in none); the scopes —
own, the company's administrator, a supervisor of its subtree only — and 404 everywhere else; a file
over the limit 413 and a refused type naming the file, with nothing stored; the auto-close job
driven with a clock passed in."""
from __future__ import annotations

import os
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from management_scene import activate, register, subscribe  # noqa: E402
from meshtools import mail_text  # noqa: E402

pytestmark = pytest.mark.mesh
OWN, ADMIN, SUPERVISION = "Request service", "Request service - Administration", "Request Service - Supervision"
PDF = b"%PDF-1.7\n" + os.urandom(30_000)
LIMIT = 10 * 1024 * 1024  # PORTAL_SUPPORT_ATTACHMENT_MAX_BYTES' default


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()




def _colleague(mesh, administrator, tag: str, first_name: str):
    email = f"{first_name.lower()}-{tag}@head.test"
    created = _created(administrator.post(mesh.url("/api/identity/users"), timeout=30, json={
        "email": email, "title": "M", "last_name": "Quentin", "first_name": first_name, "language": "fr",
        "function": "Buyer", "office_phone": "", "mobile_phone": "", "security_level": 1}))
    return activate(mesh, email, first_name), {**created, "email": email}


@pytest.fixture(scope="module")
def scene(mesh):
    """Head ── Region ── Shop, and Elsewhere; each under contract. In Head: Victor (administrator,
    "Request service - Administration"), Colin and Paula (plain users with "Request service").
    Romain, Region's administrator, holds "Request Service - Supervision" of Region."""
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    head = register(mesh, operator, tag, "Head", "Victor")
    region = register(mesh, operator, tag, "Region", "Romain", parent_id=head["company"]["id"])
    shop = register(mesh, operator, tag, "Shop", "Simon", parent_id=region["company"]["id"])
    elsewhere = register(mesh, operator, tag, "Elsewhere", "Etienne")
    product = _created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": f"PAY-{tag}", "name_en": "Payroll", "name_fr": "Paie", "kind": "software",
        "brand": "Etafi", "domain": "Payroll", "serializable": False, "major_version": 7}))
    for company in (head, region, shop, elsewhere):
        _created(operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
            "company_id": company["company"]["id"], "starts_on": "2026-01-01"}))
    for company in (head, shop):
        _created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
            "company_id": company["company"]["id"], "product_id": product["id"], "quantity": 1}))
    victor = activate(mesh, head["email"], "Victor")
    romain = activate(mesh, region["email"], "Romain")
    simon = activate(mesh, shop["email"], "Simon")
    etienne = activate(mesh, elsewhere["email"], "Etienne")
    for session in (victor, romain, simon, etienne):
        subscribe(mesh, session, OWN)
    subscribe(mesh, victor, ADMIN)
    subscribe(mesh, romain, SUPERVISION)
    colin, colin_user = _colleague(mesh, victor, tag, "Colin")
    paula, paula_user = _colleague(mesh, victor, tag, "Paula")
    for user in (colin_user, paula_user):
        subscribe(mesh, victor, OWN, user["id"])
    return {"operator": operator, "head": head, "shop": shop, "elsewhere": elsewhere, "product": product,
            "victor": victor, "romain": romain, "simon": simon, "etienne": etienne,
            "colin": colin, "colin_user": colin_user, "paula": paula, "paula_user": paula_user}


def _open_with_file(mesh, session, product_id, files, **fields):
    data = {"subject": "Payslips do not print", "description": "Since the update <b>7.1</b>.",
            "severity": "blocking", "product": product_id, "contact_phone": "+33 4 72 00 00 01", **fields}
    return session.post(mesh.url("/api/support/requests"), data=data, timeout=60,
                        files=[("attachments", file) for file in files])


@pytest.fixture(scope="module")
def opened(mesh, scene):
    """Colin's request with a PDF, Paula following it."""
    return _created(_open_with_file(mesh, scene["colin"], scene["product"]["id"],
                                    [("screenshot.pdf", PDF, "application/pdf")],
                                    followers=scene["paula_user"]["id"]))


def test_open_answer_see_resolve_and_the_mails(mesh, scene, opened):
    colin, operator = scene["colin"], scene["operator"]
    assert opened["number"].startswith("SR-20") and opened["status"] == "new"
    [attachment] = opened["attachments"]
    assert (attachment["file_name"], attachment["content_type"]) == ("screenshot.pdf", "application/pdf")
    got = colin.get(mesh.url(attachment["url"]), timeout=10)
    assert got.status_code == 200 and got.content == PDF
    registered = mesh.wait_for_mail(scene["colin_user"]["email"],
                                    subject=f"Support request {opened['number']} registered: Payslips do not print")
    assert mesh.url(f"/support/requests/{opened['id']}") in mail_text(registered)
    mesh.wait_for_mail(scene["paula_user"]["email"], containing=opened["number"])

    queue = operator.get(mesh.url("/api/operator/support/requests"), timeout=10,
                         params={"company_id": scene["head"]["company"]["id"], "severity": "blocking"}).json()
    assert [item["id"] for item in queue["items"]] == [opened["id"]]
    path = mesh.url(f"/api/operator/support/requests/{opened['id']}")
    _created(operator.post(f"{path}/answers", json={"body": "Secret: customer on an old build", "internal": True},
                           timeout=10))
    answered = operator.post(f"{path}/answers", timeout=10, data={"body": "Reinstall the driver, see the notes."},
                             files=[("attachments", ("steps.txt", b"1. uninstall\n2. install\n", "text/plain"))])
    assert answered.status_code == 201 and answered.json()["status"] == "in_progress"

    shown = colin.get(mesh.url(f"/api/support/requests/{opened['id']}"), timeout=10).json()
    assert [c["body"] for c in shown["thread"]] == ["Reinstall the driver, see the notes."]
    assert shown["thread"][0]["attachments"][0]["file_name"] == "steps.txt"
    assert "Secret" not in str(shown)
    assert shown["description"] == "Since the update <b>7.1</b>."  # markup stored as text
    clock = shown["clock"]
    assert clock["first_response_at"] and clock["running"] == "resolution" and clock["answer_expected_by"]
    answer_mail = mesh.wait_for_mail(scene["colin_user"]["email"], containing="Reinstall the driver")
    assert answer_mail["Subject"].startswith(f"Support answered your request {opened['number']}")

    resolved = colin.post(mesh.url(f"/api/support/requests/{opened['id']}/resolve"), timeout=10)
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    resolved_mail = mesh.wait_for_mail(scene["colin_user"]["email"],
                                       subject=f"Support request {opened['number']} resolved: Payslips do not print")
    assert mesh.url(f"/support/requests/{opened['id']}#reopen") in mail_text(resolved_mail)
    for address in (scene["colin_user"]["email"], scene["paula_user"]["email"]):
        assert all("Secret" not in mail_text(mail) for mail in mesh.mails_to(address))
    summary = colin.get(mesh.url("/api/support/summary"), timeout=10).json()
    assert summary == {"in_progress": 0, "new_contents": 0}


def test_scopes_and_404_on_every_route(mesh, scene, opened):
    victor, paula, romain = scene["victor"], scene["paula"], scene["romain"]
    shop_request = _created(scene["simon"].post(mesh.url("/api/support/requests"), timeout=10, json={
        "subject": "Till frozen", "description": "Shop till", "severity": "major"}))
    company = victor.get(mesh.url("/api/support/requests"), params={"scope": "company"}, timeout=10).json()
    assert opened["id"] in {item["id"] for item in company["items"]}
    # Paula follows Colin's request: in her own list; a request she does not follow is 404.
    assert opened["id"] in {i["id"] for i in paula.get(mesh.url("/api/support/requests"), timeout=10).json()["items"]}
    private = _created(scene["colin"].post(mesh.url("/api/support/requests"), timeout=10, json={
        "subject": "Private one", "description": "Only mine", "severity": "question"}))
    assert paula.get(mesh.url("/api/support/requests"), params={"scope": "company"}, timeout=10).status_code == 403
    supervised = romain.get(mesh.url("/api/support/requests"), params={"scope": "supervised"}, timeout=10).json()
    assert {item["id"] for item in supervised["items"]} == {shop_request["id"]}  # Shop below, not Head above
    outsiders = (("paula", private["id"]), ("romain", opened["id"]), ("etienne", opened["id"]),
                 ("simon", opened["id"]))
    for who, request_id in outsiders:
        session = scene[who]
        base = mesh.url(f"/api/support/requests/{request_id}")
        for answer in (session.get(base, timeout=10), session.get(f"{base}/history", timeout=10),
                       session.post(f"{base}/comments", json={"body": "hello"}, timeout=10),
                       session.post(f"{base}/reopen", timeout=10),
                       session.get(f"{base}/attachments/{opened['attachments'][0]['id']}", timeout=10)):
            assert answer.status_code == 404, (who, answer.request.url, answer.text)
            assert answer.json()["error"]["code"] == "not_found"
    assert romain.get(mesh.url(f"/api/support/requests/{shop_request['id']}"), timeout=10).status_code == 200
    assert victor.get(mesh.url("/api/operator/support/requests"), timeout=10).status_code == 403


def test_operator_fields_are_refused_and_refused_files_keep_nothing(mesh, scene):
    colin, product_id = scene["colin"], scene["product"]["id"]
    before = colin.get(mesh.url("/api/support/requests"), timeout=10).json()["total"]
    with_operator_field = colin.post(mesh.url("/api/support/requests"), timeout=10, json={
        "subject": "x", "description": "y", "assignee_id": "me"})
    assert with_operator_field.status_code == 400 and "assignee_id" in with_operator_field.json()["error"]["fields"]
    refused = _open_with_file(mesh, colin, product_id, [("notes.pdf", PDF, "application/pdf"),
                                                        ("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 500, "application/pdf")])
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "file_refused" and "invoice.pdf" in refused.json()["error"]["message"]
    too_large = _open_with_file(mesh, colin, product_id, [("dump.pdf", b"%PDF-" + b"0" * LIMIT, "application/pdf")])
    assert too_large.status_code == 413 and too_large.json()["error"]["code"] == "too_large"
    not_held = colin.post(mesh.url("/api/support/requests"), timeout=10, json={
        "subject": "x", "description": "y", "product": "no-such-product"})
    assert not_held.status_code == 400 and "product" in not_held.json()["error"]["fields"]
    assert colin.get(mesh.url("/api/support/requests"), timeout=10).json()["total"] == before
    assert _support_files(mesh) == _support_files_in_rows(mesh)


def _support_url(mesh) -> str:
    template = mesh.mesh.environment().get("PORTAL_DATABASE_URL")
    return template.replace("{service}", "support") if template else f"sqlite:///{mesh.mesh.var_dir / 'support'}.db"


def _support_files_in_rows(mesh) -> int:
    from sqlalchemy import create_engine, text
    engine = create_engine(_support_url(mesh))
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM request_attachments")).scalar_one()
    finally:
        engine.dispose()


def _support_files(mesh) -> int:
    """The attachments the file store holds (the folder's, or the bucket's objects under support/)."""
    env = mesh.mesh.environment()
    url = env.get("PORTAL_FILESTORE_URL")
    if not url:
        root = Path(env["PORTAL_VAR_DIR"]) / "files" / "support"
        return len([p for p in root.rglob("*") if p.is_file()]) if root.exists() else 0
    from portalkit import filestore
    old = {name: os.environ.get(name) for name in env if name.startswith("PORTAL_FILESTORE_")}
    try:
        os.environ.update({name: env[name] for name in old})
        store = filestore.from_url(url)
        listed = store.client.list_objects_v2(Bucket=store.bucket, Prefix=f"{store.prefix}/support/".lstrip("/"))
        uploads = store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
        return listed.get("KeyCount", 0) + len([u for u in uploads if "/support/" in f"/{u['Key']}"])
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_a_resolved_request_closes_by_itself(mesh, scene):
    """The worker's job, run here with a clock eight days ahead (the job itself runs every few minutes)."""
    from portalkit.db import Database, utcnow
    from support.requests import auto_close
    from support.settings import SupportSettings
    colin = scene["colin"]
    created = _created(colin.post(mesh.url("/api/support/requests"), timeout=10, json={
        "subject": "Will close", "description": "by itself", "severity": "minor"}))
    assert colin.post(mesh.url(f"/api/support/requests/{created['id']}/resolve"), timeout=10).status_code == 200
    database = Database(_support_url(mesh))
    try:
        with database.transaction() as session:
            assert auto_close(session, utcnow() + timedelta(days=8), SupportSettings.load()) >= 1
    finally:
        database.engine.dispose()
    shown = colin.get(mesh.url(f"/api/support/requests/{created['id']}"), timeout=10).json()
    assert shown["status"] == "closed" and shown["history"][-1]["actor"]["kind"] == "system"
    reopened = colin.post(mesh.url(f"/api/support/requests/{created['id']}/reopen"), timeout=10)
    assert reopened.status_code == 200 and reopened.json()["status"] == "reopened"


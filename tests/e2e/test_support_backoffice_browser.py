"""The operators' support pages in a real browser through the real mesh: a client's request is in
the queue (found with the criteria panel), the operator opens it, writes an internal note and then
an answer from its page, moves it and assigns it to themself; the client's API read shows the answer
and never the note. Screenshots go to PORTAL_SCREENSHOT_DIR."""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browsing import Photographer, sign_in  # noqa: E402
from management_scene import activate, register  # noqa: E402

pytestmark = pytest.mark.mesh
OWN = "Request service"


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_an_operator_answers_from_the_page_and_the_client_reads_the_answer_only(mesh, browser, tmp_path):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company = register(mesh, operator, tag, "Harbour", "Hugo")
    _created(operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
        "company_id": company["company"]["id"], "starts_on": "2026-01-01"}))
    client = activate(mesh, company["email"], "Hugo")
    offer = client.get(mesh.url("/api/catalog/services"), params={"q": OWN, "per_page": 200}, timeout=10)
    service = next(s for s in offer.json()["items"] if s["title"] == OWN)
    _created(client.post(mesh.url("/api/catalog/subscriptions"), json={"service_id": service["id"]}, timeout=10))
    opened = _created(client.post(mesh.url("/api/support/requests"), timeout=30, json={
        "subject": f"Harbour {tag} invoices stuck", "description": "Nothing leaves the outbox.",
        "severity": "major"}))
    steps = tmp_path / "steps.txt"
    steps.write_text("1. restart the sender\n2. send again\n")

    shoot = Photographer(mesh.backend)
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    sign_in(page, mesh, mesh.operator_email, mesh.operator_password)
    page.goto(mesh.url("/operator/companies"))
    page.get_by_role("link", name="Support requests").click()
    expect(page.locator("h1")).to_have_text("Support requests")
    page.fill("#q", opened["number"])
    page.select_option("#severity", "major")
    page.select_option("#assignee", "none")
    page.get_by_role("button", name="Filter").click()
    row = page.locator("tr", has_text=opened["number"])
    expect(row).to_contain_text(f"Harbour {tag} invoices stuck")
    expect(page.locator(".chart-figure svg")).to_be_visible()
    shoot(page, "support-queue")
    row.get_by_role("link", name=opened["number"]).click()
    expect(page.locator("h1")).to_contain_text(opened["number"])

    page.fill("#body", "Secret: their sender is misconfigured")
    page.check("#internal")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".alert-success")).to_contain_text("The internal note has been saved")
    page.fill("#body", "Restart the sender, then send again.")
    page.set_input_files("#attachments", str(steps))
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".alert-success")).to_contain_text("The answer has been sent to the client.")
    expect(page.locator(".support-comment-internal")).to_contain_text("Secret: their sender is misconfigured")
    expect(page.locator(".support-comment").last).to_contain_text("steps.txt")
    page.select_option("#status", "waiting_for_customer")
    page.get_by_role("button", name="Change the status").click()
    expect(page.locator(".support-status")).to_have_text("Waiting for the customer")
    page.select_option("#assignee", "me")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".support-assignee")).to_have_text("You")
    shoot(page, "support-request")
    desk.close()

    shown = client.get(mesh.url(f"/api/support/requests/{opened['id']}"), timeout=10).json()
    assert [c["body"] for c in shown["thread"]] == ["Restart the sender, then send again."]
    assert shown["thread"][0]["attachments"][0]["file_name"] == "steps.txt"
    assert shown["status"] == "waiting_for_customer" and "Secret" not in str(shown)

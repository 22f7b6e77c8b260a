"""The operators' support pages through the mesh, on both backends: an operator filters the queue
(company, severity, unassigned, clock), answers from the request's page with an attachment (the form
streamed to support), writes an internal note the client never sees (not in the API, not in the
mails), moves the status and assigns the request to themself; a client opens none of these pages."""
from __future__ import annotations

import html
import re
import sys
import uuid
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from management_scene import activate, register  # noqa: E402
from meshtools import mail_text  # noqa: E402

pytestmark = pytest.mark.mesh
OWN = "Request service"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()


def _pages_of(api_session: requests.Session) -> requests.Session:
    """A browser-like session of the same user: the session token as the pages' cookie."""
    pages = requests.Session()
    pages.cookies.set("portal_session", api_session.headers["Authorization"].split(" ", 1)[1])
    return pages


@pytest.fixture(scope="module")
def scene(mesh):
    """Quay's administrator Quentin holds "Request service" and opens a blocking request."""
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    company = register(mesh, operator, tag, "Quay", "Quentin")
    _created(operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
        "company_id": company["company"]["id"], "starts_on": "2026-01-01"}))
    client = activate(mesh, company["email"], "Quentin")
    offer = client.get(mesh.url("/api/catalog/services"), params={"q": OWN, "per_page": 200}, timeout=10)
    service = next(s for s in offer.json()["items"] if s["title"] == OWN)
    _created(client.post(mesh.url("/api/catalog/subscriptions"), json={"service_id": service["id"]}, timeout=10))
    opened = _created(client.post(mesh.url("/api/support/requests"), timeout=30, json={
        "subject": f"Ledger {tag} does not balance", "description": "Since <i>Monday</i>.", "severity": "blocking"}))
    return {"operator": operator, "pages": _pages_of(operator), "client": client, "company": company,
            "opened": opened, "tag": tag}


def test_an_operator_works_a_request_from_the_pages(mesh, scene):
    pages, opened, client = scene["pages"], scene["opened"], scene["client"]
    company_id = scene["company"]["company"]["id"]
    for query in ({"company": company_id, "severity": "blocking"}, {"company": company_id, "assignee": "none"},
                  {"company": company_id, "clock": "on_time"}, {"q": opened["number"]}):
        queue = pages.get(mesh.url("/operator/support"), params=query, timeout=10)
        assert queue.status_code == 200 and opened["number"] in queue.text, query
    late = pages.get(mesh.url("/operator/support"), params={"company": company_id, "clock": "breached"}, timeout=10)
    assert opened["number"] not in late.text and "No support request matches these criteria." in late.text
    assert "Requests opened and resolved per week" in late.text and "<svg" in late.text

    page = pages.get(mesh.url(f"/operator/support/{opened['id']}"), timeout=10).text
    assert "Since &lt;i&gt;Monday&lt;/i&gt;." in page
    action = html.unescape(re.search(rf'action="(/operator/support/{opened["id"]}/answers\?csrf_token=[^"]+)"',
                                     page).group(1))
    noted = pages.post(mesh.url(action), data={"body": "Secret: customer skipped the upgrade", "internal": "1"},
                       files=[("attachments", ("", b"", "application/octet-stream"))], timeout=30,
                       allow_redirects=False)
    assert noted.status_code == 303 and noted.headers["Location"].endswith("?done=noted"), noted.text
    answered = pages.post(mesh.url(action), data={"body": "Run the balance check again."}, timeout=30,
                          files=[("attachments", ("steps.txt", b"1. open\n2. check\n", "text/plain"))],
                          allow_redirects=False)
    assert answered.status_code == 303 and answered.headers["Location"].endswith("?done=answered"), answered.text

    shown = client.get(mesh.url(f"/api/support/requests/{opened['id']}"), timeout=10).json()
    assert [c["body"] for c in shown["thread"]] == ["Run the balance check again."]
    assert shown["thread"][0]["attachments"][0]["file_name"] == "steps.txt"
    assert shown["thread"][0]["author"]["name"] == "Support" and "Secret" not in str(shown)
    mesh.wait_for_mail(scene["company"]["email"], containing="Run the balance check again.")
    assert all("Secret" not in mail_text(mail) for mail in mesh.mails_to(scene["company"]["email"]))

    page = pages.get(mesh.url(f"/operator/support/{opened['id']}"), timeout=10).text
    assert "Secret: customer skipped the upgrade" in page and "Internal note — not shown to the client" in page
    token = CSRF.search(page).group(1)
    moved = pages.post(mesh.url(f"/operator/support/{opened['id']}/status"), timeout=10, allow_redirects=False,
                       data={"status": "waiting_for_customer", "csrf_token": token})
    assert moved.headers["Location"].endswith("?done=moved")
    refused = pages.post(mesh.url(f"/operator/support/{opened['id']}/status"), timeout=10, allow_redirects=False,
                         data={"status": "reopened", "csrf_token": token})
    assert refused.headers["Location"].endswith("?done=move_not_allowed")
    assigned = pages.post(mesh.url(f"/operator/support/{opened['id']}/assign"), timeout=10, allow_redirects=False,
                          data={"assignee": "me", "csrf_token": token})
    assert assigned.headers["Location"].endswith("?done=assigned")
    detail = scene["operator"].get(mesh.url(f"/api/operator/support/requests/{opened['id']}"), timeout=10).json()
    assert detail["status"] == "waiting_for_customer" and detail["assignee_id"] and detail["clock"]["paused"]
    mine = pages.get(mesh.url("/operator/support"), params={"assignee": "me", "clock": "paused"}, timeout=10)
    assert opened["number"] in mine.text
    assert client.get(mesh.url(f"/api/support/requests/{opened['id']}"), timeout=10).json()["status"] == \
        "waiting_for_customer"


def test_a_client_opens_no_operator_page(mesh, scene):
    pages, opened = _pages_of(scene["client"]), scene["opened"]
    assert pages.get(mesh.url("/operator/support"), timeout=10, allow_redirects=False).status_code == 403
    assert pages.get(mesh.url(f"/operator/support/{opened['id']}"), timeout=10,
                     allow_redirects=False).status_code == 403
    assert scene["client"].get(mesh.url("/api/operator/support/stats"), timeout=10).status_code == 403

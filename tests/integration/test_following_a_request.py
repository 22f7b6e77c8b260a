"""One request followed across the bus by its id, on each backend: an operator registers a company
with a chosen X-Request-Id; the answer carries it, identity's events carry it, every process that
handles them logs it (JSON lines in ``var/log/<process>.log``), and the administrator's activation
mail has it in ``X-Portal-Correlation-Id``. The activation is then followed under an id of its own.

Log lines are waited for: a process writes its line after it has done the work (gunicorn's access
line after the answer is sent, a worker's after its commit), so a line may trail what it records.
"""
from __future__ import annotations

import re
import uuid

import pytest
import requests

from meshtools import log_lines, mail_text, outbox, wait_until

pytestmark = pytest.mark.mesh


def _naming(mesh, process: str, request_id: str, **fields) -> list[dict]:
    return [line for line in log_lines(mesh.mesh, process) if line.get("request_id") == request_id
            and all(line.get(key) == value for key, value in fields.items())]


def _wait_for_line(mesh, process: str, request_id: str, **fields) -> dict:
    return wait_until(lambda: (_naming(mesh, process, request_id, **fields) or [None])[0], timeout=15,
                      message=f"a line of {process} naming {request_id} with {fields}")


def test_a_sign_up_is_followed_from_the_operators_call_to_the_activation_mail(mesh):
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    tag = uuid.uuid4().hex[:8]
    request_id = f"signup-{mesh.backend}-{tag}"
    email = f"follow.{tag}@client.test"
    answer = operator.post(mesh.url("/api/operator/companies"), headers={"X-Request-Id": request_id}, json={
        "number": f"F-{tag}", "name": f"Followed {tag}", "postcode": "69001", "city": "Lyon",
        "administrator": {"email": email, "title": "MME", "last_name": "Durand", "first_name": "Claire",
                          "language": "en"}}, timeout=10)
    assert answer.status_code == 201, answer.text
    assert answer.headers["X-Request-Id"] == request_id

    written = [event for event in outbox(mesh.mesh, "identity") if event["correlation_id"] == request_id]
    assert {"CompanyRegistered", "UserCreated"} <= {event["type"] for event in written}
    user_created = next(event for event in written if event["type"] == "UserCreated")

    # The gateway's access line and identity's, the same id on both hops.
    edge = _wait_for_line(mesh, "gateway", request_id, logger="gunicorn.access")
    assert (edge["method"], edge["path"], edge["status"], edge["component"]) == \
        ("POST", "/api/operator/companies", 201, "gateway")
    assert edge["duration_ms"] >= 0
    hop = _wait_for_line(mesh, "identity", request_id, logger="gunicorn.access")
    assert (hop["path"], hop["status"], hop["component"]) == ("/operator/companies", 201, "identity")

    # The catalog knows users from their creation: its worker handled the event under the same id.
    handled = _wait_for_line(mesh, "catalog-worker", request_id, event_type="identity.UserCreated")
    assert handled["event_id"] == user_created["id"] and handled["component"] == "catalog"

    # Events written while handling it carry the id on: the administrator's rights, prepared at
    # creation, and the gateway's worker applying them under the same id.
    caused = [event for event in outbox(mesh.mesh, "catalog") if event["correlation_id"] == request_id]
    assert "SubscriptionAccepted" in {event["type"] for event in caused}
    applied = _wait_for_line(mesh, "gateway-worker", request_id, event_type="catalog.SubscriptionAccepted")
    assert applied["event_id"] in {event["id"] for event in caused}

    # Notifications mailed the administrator: its lines, the mail's header, the sink's line.
    mail = mesh.wait_for_mail(email, containing=f"{mesh.base_url}/activate/")
    assert mail["X-Portal-Correlation-Id"] == request_id
    sent = _wait_for_line(mesh, "notifications-worker", request_id, event_type="identity.UserCreated")
    assert sent["event_id"] == user_created["id"] and sent["process"] == "worker"
    assert any("activation mail sent" in line["message"]
               for line in _naming(mesh, "notifications-worker", request_id))
    _wait_for_line(mesh, "smtp", request_id, logger="notifications.mailsink")

    # Every line of every process is one JSON object: nothing printed beside the format.
    for process in ("gateway", "identity", "catalog-worker", "notifications-worker"):
        raw = (mesh.mesh.var_dir / "log" / f"{process}.log").read_text().splitlines()
        assert raw and len(log_lines(mesh.mesh, process)) == len(raw), process

    # The activation through the mailed link: a request of its own, followed to its own events
    # and to the processes that handle them, under its own id.
    link = re.search(re.escape(mesh.base_url) + r"/activate/[A-Za-z0-9_\-]+", mail_text(mail)).group(0)
    token = link.rsplit("/", 1)[1]
    page_id = f"page-{mesh.backend}-{tag}"
    page = requests.get(link, headers={"X-Request-Id": page_id}, timeout=10)
    assert page.status_code == 200 and page.headers["X-Request-Id"] == page_id
    # The page's own call to identity carried it.
    assert _wait_for_line(mesh, "identity", page_id, logger="gunicorn.access")["path"] == f"/auth/activation/{token}"
    activation_id = f"activation-{mesh.backend}-{tag}"
    done = requests.post(mesh.url(f"/api/auth/activation/{token}"), headers={"X-Request-Id": activation_id},
                         json={"title": "MME", "first_name": "Claire", "last_name": "Durand", "language": "en",
                               "function": "IT manager", "office_phone": "+33 1 23 45 67 89",
                               "mobile_phone": "", "password": "Portal-Access-93"}, timeout=10)
    assert done.status_code == 200, done.text
    assert done.headers["X-Request-Id"] == activation_id
    activated = [event for event in outbox(mesh.mesh, "identity") if event["correlation_id"] == activation_id]
    assert "UserActivated" in {event["type"] for event in activated}
    assert not any(event["correlation_id"] == request_id for event in activated)
    # Its readers handled it under its id: the catalog and support keep members of identity's.
    user_activated = next(event for event in activated if event["type"] == "UserActivated")
    for process in ("catalog-worker", "support-worker"):
        handled = _wait_for_line(mesh, process, activation_id, event_type="identity.UserActivated")
        assert handled["event_id"] == user_activated["id"], process


def test_a_malformed_id_is_replaced_at_the_edge(mesh):
    answer = requests.get(mesh.url("/api/identity/me"), headers={"X-Request-Id": "no good; id"}, timeout=10)
    made = answer.headers["X-Request-Id"]
    assert answer.status_code == 401 and made != "no good; id" and re.fullmatch(r"[0-9a-f]{32}", made)
    page = requests.get(mesh.url("/no-such-page"), timeout=10)
    assert page.status_code == 404 and re.fullmatch(r"[0-9a-f]{32}", page.headers["X-Request-Id"])

"""The operators' identifier changes page: operators only, the waiting changes with their holdings,
and each decision sent to assets' operator route (assets faked over HTTP), in English and French."""
from __future__ import annotations

import json
import re

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CHANGE = {"id": "ch1", "status": "pending", "company_id": "c9", "company": {"id": "c9", "number": "N-9", "name": "Horizon"},
          "requested_by": "u1", "new_machine_id": "PC-NEW", "reason": "The PC was replaced",
          "requested_at": "2026-12-01T09:00:00+00:00", "decided_at": None, "decision_reason": None,
          "holdings": [{"holding_id": "h1", "previous_machine_id": "PC-OLD", "product": {"code": "PAY", "name": "Payroll"}}]}


def _operator(client, open_session, language="en"):
    client.set_cookie("portal_session", open_session("op1", None, operator=True, display_name="Olga Op",
                                                     language=language))


def test_only_operators_open_it(client, portal):
    response = client.get("/operator/identifier-changes")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    client.set_cookie("portal_session", portal.open_session("claire@client.test"))
    assert client.get("/operator/identifier-changes").status_code == 403
    assert client.post("/operator/identifier-changes/ch1/approve", data={}).status_code in (400, 403)


def test_an_operator_reads_the_waiting_changes_and_approves_one(client, services, open_session):
    assets = services["assets"]
    assets.routes[("GET", "/operator/identifier-changes")] = lambda seen: (200, {"items": [CHANGE], "total": 1})
    decisions = []

    def decided(seen):
        decisions.append((seen.path, json.loads(seen.body)))
        return 200, {**CHANGE, "status": "approved"}
    assets.routes[("POST", "/operator/identifier-changes/ch1/approve")] = decided
    assets.routes[("POST", "/operator/identifier-changes/ch1/refuse")] = decided
    _operator(client, open_session)
    page = client.get("/operator/identifier-changes").get_data(as_text=True)
    assert "Horizon (N-9) — PC-NEW" in page and "Payroll (PAY) — now PC-OLD" in page
    assert "status=pending" in assets.last.query and assets.last.identity.operator
    token = CSRF.search(page).group(1)
    answer = client.post("/operator/identifier-changes/ch1/approve", data={"csrf_token": token})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("?done=approved")
    refused = client.post("/operator/identifier-changes/ch1/refuse", data={"csrf_token": token, "reason": " Wrong site "})
    assert refused.status_code == 302
    assert decisions == [("/operator/identifier-changes/ch1/approve", {}),
                         ("/operator/identifier-changes/ch1/refuse", {"reason": "Wrong site"})]
    done = client.get("/operator/identifier-changes?done=approved").get_data(as_text=True)
    assert "the old codes are revoked" in done
    assert client.post("/operator/identifier-changes/ch1/approve", data={}).status_code == 400  # no CSRF token


def test_a_change_decided_already_says_so_in_french(client, services, open_session):
    assets = services["assets"]
    assets.routes[("GET", "/operator/identifier-changes")] = lambda seen: (200, {"items": [], "total": 0})
    assets.routes[("POST", "/operator/identifier-changes/ch1/approve")] = lambda seen: (
        409, {"error": {"code": "change_decided", "message": "decided"}})
    _operator(client, open_session, "fr")
    page = client.get("/operator/identifier-changes").get_data(as_text=True)
    assert "Changements d’identifiant" in page and "Aucun changement d’identifiant ici." in page
    token = CSRF.search(page).group(1)
    answer = client.post("/operator/identifier-changes/ch1/approve", data={"csrf_token": token})
    assert answer.status_code == 409 and "Ce changement a déjà été décidé." in answer.get_data(as_text=True)

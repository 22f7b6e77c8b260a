"""The operators' routes added for the back office's pages: the weekly counts (opened, resolved),
operator-only; the operators' ids in the thread and history for operators, "Support" for clients."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from support import api

from support_scene import OWN, headers, operator

MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)


def _open(client, who):
    answer = client.post("/support/requests", json={"subject": "Payslips", "description": "Broken.",
                                                   "severity": "major"}, headers=who)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_weekly_counts_of_opened_and_resolved(client, scene, monkeypatch):
    ann = headers("ann", "acme", OWN)
    monkeypatch.setattr(api, "now", lambda: MONDAY - timedelta(days=7))
    _open(client, ann)
    first = _open(client, ann)
    monkeypatch.setattr(api, "now", lambda: MONDAY + timedelta(days=2))
    _open(client, ann)
    resolved = client.post(f"/operator/support/requests/{first['id']}/status", json={"status": "resolved"},
                           headers=operator())
    assert resolved.status_code == 200
    answer = client.get("/operator/support/stats", query_string={"weeks": 3}, headers=operator())
    assert answer.status_code == 200
    assert answer.get_json()["weeks"] == [{"week": "2026-11-16", "opened": 0, "resolved": 0},
                                          {"week": "2026-11-23", "opened": 2, "resolved": 0},
                                          {"week": "2026-11-30", "opened": 1, "resolved": 1}]
    assert len(client.get("/operator/support/stats", headers=operator()).get_json()["weeks"]) == 12


def test_weekly_counts_are_operators_only_and_checked(client, scene):
    assert client.get("/operator/support/stats", headers=headers("ann", "acme", OWN)).status_code == 403
    for weeks in ("0", "105", "x"):
        refused = client.get("/operator/support/stats", query_string={"weeks": weeks}, headers=operator())
        assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "invalid_input"


def test_operators_see_which_operator_wrote_clients_see_support(client, scene):
    ann = headers("ann", "acme", OWN)
    created = _open(client, ann)
    path = f"/operator/support/requests/{created['id']}"
    shown = client.post(f"{path}/answers", json={"body": "Reinstall the driver."}, headers=operator()).get_json()
    assert shown["thread"][0]["author"] == {"user_id": "op1", "name": "Support", "kind": "operator"}
    assert shown["history"][-1]["actor"]["user_id"] == "op1"
    seen = client.get(f"/support/requests/{created['id']}", headers=ann).get_json()
    assert seen["thread"][0]["author"] == {"user_id": None, "name": "Support", "kind": "operator"}
    assert seen["history"][-1]["actor"]["user_id"] is None


def test_the_queue_counts_up_to_its_cap(client, scene, monkeypatch):
    from support import operator_api
    ann = headers("ann", "acme", OWN)
    for _ in range(3):
        _open(client, ann)
    exact = client.get("/operator/support/requests", headers=operator()).get_json()
    assert (exact["total"], exact["total_capped"]) == (3, False)
    monkeypatch.setattr(operator_api, "QUEUE_COUNT_CAP", 2)
    capped = client.get("/operator/support/requests", query_string={"per_page": 1}, headers=operator()).get_json()
    assert (capped["total"], capped["total_capped"], len(capped["items"])) == (2, True, 1)


def test_the_running_clocks_index_says_what_the_clock_says():
    from support.models import CLOCK_RUNS
    from support.moves import FINISHED_STATUSES
    assert CLOCK_RUNS == f"status NOT IN ({', '.join(repr(s) for s in FINISHED_STATUSES)}) AND paused_at IS NULL"

"""The supervisor's table and ZIP with seeded rows: the derived scope, the states, late and stuck
first, the filters, the summary, the codes explained, the evidence ZIP's folders; a declarant 403."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta, timezone

import pytest

from portalkit import testing
from portalkit.filestore import default_store

from declarations import deadlines, receipts, supervision_api
from declarations.models import Deposit, Entity

BASE = "/declarations/supervision"
NOW = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def explained(monkeypatch):
    """The table's clock, fixed."""
    monkeypatch.setattr(supervision_api, "now", lambda: NOW)


@pytest.fixture
def group(client, database, handle):
    """Head g (files nothing) → Alpha a (12-31, liasse), Beta b (06-30, liasse+vat) → Gamma c;
    the outsider x, not in the group; their deposits."""
    for company_id, name, siren, parent in (("g", "Group head", "100000001", None), ("a", "Alpha", "100000002", "g"),
                                            ("b", "Beta", "100000003", "g"), ("c", "Gamma", "100000004", "b"),
                                            ("x", "Outsider", "100000005", None)):
        handle("CompanyRegistered", {"company_id": company_id, "number": company_id, "name": name, "siren": siren,
                                     **({"parent_id": parent} if parent else {})})
    store = default_store()

    def add(session, entity_id, obligation, end, status, at, codes="", transmitted=None):
        stored = store.put([f"{entity_id}-{obligation}-{status}".encode()])
        row = Deposit(entity_id=entity_id, siren="100000000", declarant_id="d", file_key=stored.key,
                      file_name="liasse.edi", size=stored.size, sha256=stored.sha256, kind="INFENT",
                      campaign=2025, period_end=end, status=status, deposited_at=at, receipt="",
                      obligation=obligation, codes=codes, transmitted_at=transmitted)
        session.add(row)
        session.flush()
        row.receipt = receipts.issue(receipts.KEYS.ring(), row.id, row.siren, row.sha256, at)

    with database.transaction() as session:
        profiles = {"g": ("12-31", ""), "a": ("12-31", "liasse"), "b": ("06-30", "liasse,vat"),
                    "c": ("12-31", "liasse"), "x": ("12-31", "liasse")}
        for entity_id, (closing, obligations) in profiles.items():
            entity = session.get(Entity, entity_id)
            entity.closing, entity.obligations = closing, obligations
        december, june = date(2024, 12, 31), date(2024, 6, 30)
        add(session, "a", "liasse", december, "rejected", NOW - timedelta(days=5), codes="009")
        add(session, "b", "liasse", june, "accepted", NOW - timedelta(days=60))
        add(session, "c", "liasse", december, "refused_by_partner", NOW - timedelta(days=9))
        add(session, "c", "liasse", december, "sent", NOW - timedelta(days=3), transmitted=NOW - timedelta(days=2))
        add(session, "x", "liasse", december, "rejected", NOW - timedelta(days=5), codes="009")
    return client


def supervisor(language="en"):
    return testing.signed_headers(user_id="d-s", scope="declarative", declarant_role="supervisor",
                                  company_id="g", language=language)


def test_the_table_puts_late_and_stuck_first_and_explains_the_codes(group):
    answer = group.get(f"{BASE}?year=2024", headers=supervisor())
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    rows = [(row["entity_id"], row["obligation"], row["state"], row["late"], row["stuck"]) for row in body["items"]]
    assert rows == [("b", "vat", "expected", True, False),        # late: due in 2024
                    ("c", "liasse", "deposited", False, True),    # stuck: sent two days ago, no answer
                    ("b", "liasse", "accepted", False, False),
                    ("a", "liasse", "rejected", False, False)]
    assert body["total"] == 4 and body["year"] == 2024
    assert body["items"][1]["due_on"] == deadlines.due_on("liasse", date(2024, 12, 31)).isoformat()
    rejected = body["items"][3]
    assert rejected["codes"][0]["code"] == "009" and rejected["deposit_id"] and rejected["siren"] == "100000002"
    assert body["summary"] == {"expected": 1, "deposited": 1, "accepted": 1, "partly_rejected": 0, "rejected": 1,
                               "refused_by_partner": 0, "late": 1, "stuck": 1}
    assert "x" not in {row["entity_id"] for row in body["items"]}


def test_the_criteria_narrow_the_table_and_the_pager_pages_it(group):
    def ids(query):
        return [(row["entity_id"], row["obligation"]) for row in
                group.get(f"{BASE}?year=2024&{query}", headers=supervisor()).get_json()["items"]]

    assert ids("state=late") == [("b", "vat")]
    assert ids("state=stuck") == [("c", "liasse")]
    assert ids("state=rejected") == [("a", "liasse")]
    assert ids("obligation=vat") == [("b", "vat")]
    assert ids("entity=gam") == [("c", "liasse")]
    assert ids("entity=100000002") == [("a", "liasse")]
    assert ids("entity=Outsider") == []  # outside the subtree: never shown
    assert ids("per_page=2&page=2") == [("b", "liasse"), ("a", "liasse")]
    counted = group.get(f"{BASE}?year=2024&state=late", headers=supervisor()).get_json()
    assert counted["total"] == 1 and counted["summary"]["accepted"] == 1  # the summary ignores the state
    earlier = group.get(f"{BASE}?year=2023", headers=supervisor()).get_json()
    assert earlier["total"] == 4 and all(row["state"] == "expected" and row["late"] for row in earlier["items"])
    bad = group.get(f"{BASE}?state=lost&obligation=tea", headers=supervisor())
    assert bad.status_code == 400 and set(bad.get_json()["error"]["fields"]) >= {"state", "obligation"}


def test_a_declarant_is_refused_and_a_portal_session_must_sign_in(group):
    declarant = testing.signed_headers(user_id="d-1", scope="declarative", declarant_role="declarant", company_id="a")
    for path in (BASE, f"{BASE}/evidence"):
        answer = group.get(path, headers=declarant)
        assert answer.status_code == 403 and answer.get_json()["error"]["code"] == "supervisor_only"
        assert group.get(path, headers=testing.signed_headers(user_id="u", company_id="g")).status_code == 401


def test_the_scope_follows_the_tree(group, handle):
    """A subsidiary linked under the group is in the table on the next request; unlinked, gone."""
    assert "x" not in {row["entity_id"] for row in group.get(f"{BASE}?year=2024", headers=supervisor()).get_json()["items"]}
    handle("AssociateLinked", {"company_id": "c", "associate_id": "x"})
    assert "x" in {row["entity_id"] for row in group.get(f"{BASE}?year=2024", headers=supervisor()).get_json()["items"]}
    handle("AssociateUnlinked", {"company_id": "c", "associate_id": "x"})
    assert "x" not in {row["entity_id"] for row in group.get(f"{BASE}?year=2024", headers=supervisor()).get_json()["items"]}


def test_the_evidence_zip_has_a_folder_per_subsidiary_and_nothing_outside(group):
    answer = group.get(f"{BASE}/evidence?year=2024", headers=supervisor())
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(answer.data)).namelist()
    folders = {name.split("/")[0] for name in names}
    assert folders == {"100000002 Alpha", "100000003 Beta", "100000004 Gamma"}
    assert not any(name.startswith("100000005") for name in names)
    # The latest deposit of each row only (Gamma's refused one is superseded by the sent one).
    assert len([name for name in names if name.endswith("receipt.json")]) == 3
    only = group.get(f"{BASE}/evidence?year=2024&entity=Alpha", headers=supervisor())
    assert {name.split("/")[0] for name in zipfile.ZipFile(io.BytesIO(only.data)).namelist()} == {"100000002 Alpha"}

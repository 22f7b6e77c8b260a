"""The supervisor's table kept ready (supervision_rows.py): once a year is filled, each change is in
the table on the next request — a deposit, the administration's answer, a fiscal profile, a
company's name or SIREN, a new subsidiary — and a year is filled once."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from portalkit import testing

from declarations import supervision_api, supervision_rows, transmission
from declarations.models import Deposit, SupervisionRow
from declarations.partner import Report

TABLE = "/declarations/supervision?year=2023"
NOW = datetime(2024, 9, 1, 12, tzinfo=timezone.utc)  # the 2023 closings' deadlines have passed


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(supervision_api, "now", lambda: NOW)


@pytest.fixture
def supervisor(client, declarant):
    return declarant("c-blabla", "c-other", role="supervisor")


def rows(client, headers, query=""):
    answer = client.get(TABLE + query, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return {(row["entity_id"], row["obligation"]): row for row in answer.get_json()["items"]}


def test_a_deposit_and_its_answer_move_the_filled_row(client, database, supervisor, good):
    before = rows(client, supervisor)
    assert before[("c-blabla", "liasse")]["state"] == "expected" and before[("c-blabla", "liasse")]["late"]
    deposited = client.post("/declarations/deposits", headers=supervisor, data=good, content_type="application/edifact")
    assert deposited.status_code == 201, deposited.get_json()
    row = rows(client, supervisor)[("c-blabla", "liasse")]
    assert (row["state"], row["deposit_id"]) == ("deposited", deposited.get_json()["id"])

    with database.transaction() as session:
        deposit = session.get(Deposit, row["deposit_id"])
        transmission.record_reports(session, deposit, [Report(id="r-1", source="administration", outcome="rejected",
                                                              at=NOW, codes=("009",))], NOW)
    row = rows(client, supervisor)[("c-blabla", "liasse")]
    assert row["state"] == "rejected" and [code["code"] for code in row["codes"]] == ["009"]
    assert rows(client, supervisor, "&state=rejected").keys() == {("c-blabla", "liasse")}


def test_a_fiscal_profile_a_rename_and_a_new_subsidiary_are_in_the_next_answer(client, handle, supervisor):
    assert {obligation for entity, obligation in rows(client, supervisor) if entity == "c-other"} == {
        "liasse", "cvae", "vat"}
    operator = testing.signed_headers(user_id="op-1", operator=True)
    assert client.put("/operator/declarations/entities/c-other", headers=operator,
                      json={"closing": "06-30", "obligations": ["liasse", "das2"]}).status_code == 200
    other = {obligation: row for (entity, obligation), row in rows(client, supervisor).items() if entity == "c-other"}
    assert set(other) == {"liasse", "das2"}
    assert other["liasse"]["period_end"] == "2023-06-30" and other["das2"]["period_end"] == "2023-12-31"

    handle("CompanyUpdated", {"company_id": "c-other", "number": "C2", "name": "Renamed SA", "siren": "552100554"})
    assert {entity for entity, _ in rows(client, supervisor, "&entity=renamed")} == {"c-other"}
    handle("CompanyUpdated", {"company_id": "c-other", "number": "C2", "name": "Renamed SA", "siren": None})
    assert "c-other" not in {entity for entity, _ in rows(client, supervisor)}

    handle("CompanyRegistered", {"company_id": "c-new", "number": "C3", "name": "Newcomer", "siren": "400000014",
                                 "parent_id": "c-blabla"})
    assert {obligation for entity, obligation in rows(client, supervisor) if entity == "c-new"} == {
        "liasse", "cvae", "vat"}


def test_a_year_is_filled_once(client, database, supervisor):
    rows(client, supervisor)
    with database.transaction() as session:
        count = session.scalar(select(func.count()).select_from(SupervisionRow).where(SupervisionRow.year == 2023))
        supervision_rows.ensure_year(session, 2023)
        assert session.scalar(select(func.count()).select_from(SupervisionRow)
                              .where(SupervisionRow.year == 2023)) == count == 6

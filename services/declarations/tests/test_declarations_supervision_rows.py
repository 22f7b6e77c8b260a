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
    with database.sessions() as session:
        count = session.scalar(select(func.count()).select_from(SupervisionRow).where(SupervisionRow.year == 2023))
    supervision_rows.ensure_year(database, 2023)
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionRow)
                              .where(SupervisionRow.year == 2023)) == count == 6



def test_the_tallies_agree_with_the_rows_whatever_happens(client, database, handle, supervisor):
    """After each kind of change, the summary's tallies equal a count of the rows, for every
    company of the tree (each a supervisor's scope) and both years — the rows transmitted in the
    hour of the stuck limit, on either side of it, included."""
    from datetime import date, timedelta

    from declarations import supervision, supervision_tallies
    from declarations.models import Entity
    from portalkit.signed_identity import Identity

    companies = ["c-blabla", "c-other"]
    for number, parent in ((1, "c-blabla"), (2, "s-1"), (3, "c-blabla"), (4, None)):
        handle("CompanyRegistered", {"company_id": f"s-{number}", "number": f"S{number}", "name": f"Sub {number}",
                                     "siren": f"40000{number:03d}0", **({"parent_id": parent} if parent else {})})
        companies.append(f"s-{number}")
    rows(client, supervisor)  # 2023 filled
    assert client.get("/declarations/supervision?year=2024", headers=supervisor).status_code == 200
    moment = NOW + timedelta(minutes=30)  # the stuck limit in the middle of an hour
    limit = moment - timedelta(hours=24)
    counter = iter(range(1000))

    def deposit(entity_id, obligation, end, status, transmitted=None):
        with database.transaction() as session:
            row = Deposit(entity_id=entity_id, siren="000000000", declarant_id="d", file_key="k", file_name="f",
                          size=1, sha256=f"{next(counter):064d}", kind="INFENT", campaign=2024, period_end=end,
                          status=status, deposited_at=NOW - timedelta(days=1, seconds=next(counter)), receipt="",
                          obligation=obligation, transmitted_at=transmitted)
            session.add(row)
            session.flush()
            supervision_rows.record(session, row)
            return row.id

    def agree():
        with database.sessions() as session:
            for company in companies:
                identity = Identity(user_id="s", company_id=company, scope="declarative", declarant_role="supervisor")
                for year in (2023, 2024):
                    for obligation in (None, "liasse"):
                        criteria = supervision.Criteria(year=year, obligation=obligation)
                        found = supervision.table(session, identity, criteria, moment.date(), moment, 24.0)
                        assert supervision_tallies.summary(session, company, year, obligation, moment.date(), moment,
                                                           24.0) \
                            == supervision.counted(session, found), (company, year, obligation)

    december = date(2023, 12, 31)
    deposit("s-1", "liasse", december, "sent", transmitted=limit - timedelta(days=3))        # stuck
    deposit("s-2", "liasse", december, "sent", transmitted=limit - timedelta(minutes=1))     # stuck, the limit's hour
    deposit("s-2", "cvae", december, "taken", transmitted=limit + timedelta(minutes=1))      # not yet stuck
    deposit("s-3", "vat", december, "queued")
    deposit("s-1", "cvae", date(2024, 12, 31), "sent", transmitted=limit - timedelta(minutes=2))  # stuck, not late
    answered = deposit("s-3", "liasse", december, "sent", transmitted=limit - timedelta(days=1))
    deposit("c-other", "liasse", december, "accepted", transmitted=limit - timedelta(days=9))
    agree()
    with database.transaction() as session:
        transmission.record_reports(session, session.get(Deposit, answered), [Report(
            id="r-9", source="administration", outcome="partly_rejected", at=NOW, codes=("13A",))], NOW)
    agree()
    handle("AssociateLinked", {"company_id": "s-4", "associate_id": "s-1"})   # s-1 and s-2 move under s-4
    agree()
    handle("AssociateLinked", {"company_id": "c-blabla", "associate_id": "s-4"})
    agree()
    handle("AssociateUnlinked", {"company_id": "s-4", "associate_id": "s-1"})
    agree()
    operator = testing.signed_headers(user_id="op-1", operator=True)
    assert client.put("/operator/declarations/entities/s-2", headers=operator,
                      json={"closing": "06-30", "obligations": ["liasse", "ifu"]}).status_code == 200
    handle("CompanyUpdated", {"company_id": "s-3", "number": "S3", "name": "Sub 3", "siren": None})
    agree()
    with database.sessions() as session:
        assert session.get(Entity, "s-3").siren is None


def test_the_worker_fills_the_years_around_today_ahead(client, database):
    from declarations.models import SupervisionYear

    job = supervision_rows.years_ahead_job(database, now=lambda: NOW)
    job.run()
    job.run()  # again: nothing twice
    with database.sessions() as session:
        assert set(session.scalars(select(SupervisionYear.year))) == {2023, 2024, 2025}
        assert session.scalar(select(func.count()).select_from(SupervisionRow)) == 3 * 6

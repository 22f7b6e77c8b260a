"""The reminder job with a fixed clock: DeclarationDue once per entity, obligation, period and
threshold; a missed run sends the nearest threshold passed only; nothing for a filed obligation,
an entity without SIREN, or a period not closed yet."""
from __future__ import annotations

from datetime import date, datetime, timezone

from portalkit import testing

from declarations import reminders
from declarations.models import Deposit, Entity, OutboxMessage, Reminder

THRESHOLDS = (30, 7, 1)
DUE = date(2025, 5, 20)  # the liasse, CVAE and CA12 of a 2024-12-31 closing


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, tzinfo=timezone.utc)


def run(database, day: date) -> int:
    with database.transaction() as session:
        return reminders.remind(session, at(day), THRESHOLDS)


def dues(database) -> list[dict]:
    return [event["data"] for event in testing.recorded_events(database, OutboxMessage)
            if event["type"] == "DeclarationDue"]


def entity(database, obligations="liasse", siren="732829320", closing="12-31", entity_id="c-1"):
    with database.transaction() as session:
        session.add(Entity(id=entity_id, name="BLABLA", siren=siren, closing=closing, obligations=obligations))


def test_thresholds_nearest_passed():
    assert reminders.threshold(31, THRESHOLDS) is None
    assert reminders.threshold(30, THRESHOLDS) == 30
    assert reminders.threshold(12, THRESHOLDS) == 30
    assert reminders.threshold(5, THRESHOLDS) == 7
    assert reminders.threshold(0, THRESHOLDS) == 1


def test_a_reminder_at_each_threshold_once(database):
    entity(database)
    assert run(database, date(2025, 4, 19)) == 0       # 31 days left
    assert run(database, date(2025, 4, 20)) == 1       # 30 days left
    assert run(database, date(2025, 4, 20)) == 0       # again the same day: nothing more
    assert run(database, date(2025, 4, 25)) == 0       # still within the 30 days' threshold
    assert run(database, date(2025, 5, 13)) == 1       # 7 days left
    assert run(database, date(2025, 5, 19)) == 1       # 1 day left
    assert run(database, date(2025, 5, 20)) == 0       # the due day: the 1 day's already sent
    assert run(database, date(2025, 5, 21)) == 0       # past: nothing
    assert [(due["obligation"], due["period_end"], due["due_on"], due["days_left"]) for due in dues(database)] == [
        ("liasse", "2024-12-31", "2025-05-20", 30), ("liasse", "2024-12-31", "2025-05-20", 7),
        ("liasse", "2024-12-31", "2025-05-20", 1)]
    assert dues(database)[0]["siren"] == "732829320" and dues(database)[0]["entity_name"] == "BLABLA"


def test_a_missed_run_sends_the_nearest_threshold_passed_only(database):
    entity(database)
    assert run(database, date(2025, 5, 15)) == 1       # 5 days left: the 7 days' one, not the 30's too
    assert [due["days_left"] for due in dues(database)] == [5]
    with database.sessions() as session:
        assert [row.days for row in session.query(Reminder)] == [7]


def test_each_expected_obligation_not_filed(database):
    entity(database, obligations="liasse,cvae,vat,das2")
    with database.transaction() as session:
        # The liasse is filed; the CVAE's deposit was rejected: it files nothing.
        for obligation, status in (("liasse", "queued"), ("cvae", "rejected")):
            session.add(Deposit(entity_id="c-1", siren="732829320", declarant_id="d-1", file_key="k", size=1,
                                sha256=obligation, kind="INFENT", campaign=2025, period_end=date(2024, 12, 31),
                                status=status, deposited_at=at(date(2025, 4, 1)), receipt="r", obligation=obligation))
    assert run(database, date(2025, 5, 19)) == 3
    assert sorted(due["obligation"] for due in dues(database)) == ["cvae", "das2", "vat"]


def test_no_siren_no_reminder_and_a_period_still_running_has_none(database):
    entity(database, siren=None)
    entity(database, closing="06-30", entity_id="c-2")
    # c-2's period closing 2025-06-30 is due 2025-10-15; on 2025-05-19 its 2024 period is long past.
    assert run(database, date(2025, 5, 19)) == 0
    assert run(database, date(2025, 10, 8)) == 1
    assert dues(database)[0]["entity_id"] == "c-2" and dues(database)[0]["due_on"] == "2025-10-15"


def test_the_job_runs_in_its_own_transaction(database):
    entity(database)
    job = reminders.reminder_job(database, THRESHOLDS, 60.0, now=lambda: at(date(2025, 5, 13)))
    assert job.run() == 1 and job.run() == 0

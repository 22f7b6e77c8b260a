"""The transmission against a fake partner: queued → sent → taken → accepted / rejected, the
partner's refusal, the backoff of an unavailable partner (one error step per run) and of failed
polls of its reports (the same, reset by an answer), nothing filed
twice when a worker dies between the partner's answer and its commit, replayed reports ignored."""
from __future__ import annotations

import io
import random
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portalkit import testing
from portalkit.filestore import default_store

from declarations import transmission
from declarations.models import Deposit, DepositStep, OutboxMessage
from declarations.partner import PartnerRefused, PartnerUnavailable, Report, Submission
from declarations.settings import TransmissionSettings

T0 = datetime(2030, 5, 2, 9, 0, tzinfo=timezone.utc)
SETTINGS = TransmissionSettings(retry_base=5, retry_max=3600, poll_interval=5, idle_interval=0.01, batch=20)


class FakePartner:
    """A partner keeping its filings by deposit id (idempotent), answering what the test says."""

    def __init__(self):
        self.filings: dict[str, bytes] = {}
        self.calls = 0
        self.failures: list[Exception] = []
        self.answers: dict[str, list[Report]] = {}
        self.report_failures: list[Exception] = []

    def submit(self, deposit_id, siren, content):
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        self.filings.setdefault(deposit_id, content)
        return Submission(reference=f"REF-{deposit_id[:8]}", simulation=True)

    def reports(self, reference):
        if self.report_failures:
            raise self.report_failures.pop(0)
        return list(self.answers.get(reference, []))


def report(number: int, source: str, outcome: str, *codes: str) -> Report:
    return Report(id=f"r{number}", source=source, outcome=outcome, at=T0 + timedelta(seconds=number),
                  codes=tuple(codes), detail=f"SIMULATION {outcome}", simulation=True)


@pytest.fixture
def partner():
    return FakePartner()


@pytest.fixture
def queued(client, declarant, good, database):
    answer = client.post("/declarations/deposits", headers=declarant("c-blabla"),
                         data={"file": (io.BytesIO(good), "liasse.ped")}, content_type="multipart/form-data")
    assert answer.status_code == 201 and answer.get_json()["status"] == "queued"
    return answer.get_json()["id"]


def row(database, deposit_id) -> Deposit:
    with database.sessions() as session:
        return session.get(Deposit, deposit_id)


def steps(database, deposit_id) -> list[DepositStep]:
    with database.sessions() as session:
        return list(session.scalars(select(DepositStep).where(DepositStep.deposit_id == deposit_id)
                                    .order_by(DepositStep.id)))


def events(database, kind: str) -> list[dict]:
    return [event["data"] for event in testing.recorded_events(database, OutboxMessage) if event["type"] == kind]


def transmit(database, partner, at=T0):
    return transmission.transmit_due(database, partner, default_store(), SETTINGS, now=lambda: at,
                                     rng=random.Random(1))


def poll(database, partner, at=T0):
    return transmission.poll_due(database, partner, SETTINGS, now=lambda: at)


def test_a_queued_deposit_is_sent_then_taken_then_accepted(database, partner, queued, good):
    assert transmit(database, partner) == 1
    deposit = row(database, queued)
    assert (deposit.status, deposit.partner_reference, deposit.simulation) == ("sent", f"REF-{queued[:8]}", True)
    assert partner.filings == {queued: good}
    [sent] = events(database, "DeclarationTransmitted")
    assert (sent["deposit_id"], sent["partner_reference"], sent["simulation"]) == (queued, deposit.partner_reference, True)
    assert transmit(database, partner) == 0  # nothing queued any more

    partner.answers[deposit.partner_reference] = [report(1, "partner", "taken")]
    assert poll(database, partner) == 1
    assert row(database, queued).status == "taken"
    assert poll(database, partner) == 0  # polled again only after the interval
    partner.answers[deposit.partner_reference].append(report(2, "administration", "accepted"))
    poll(database, partner, T0 + timedelta(seconds=6))
    deposit = row(database, queued)
    assert (deposit.status, deposit.acknowledged_at, deposit.next_attempt_at) == ("accepted", T0 + timedelta(seconds=6), None)
    timeline = [(s.step, s.source, s.final, s.simulation) for s in steps(database, queued)][-4:]
    assert timeline == [("queued", "portal", False, False), ("sent", "partner", False, True),
                        ("taken", "partner", False, True), ("accepted", "administration", True, True)]
    [acknowledged] = events(database, "DeclarationAcknowledged")
    assert (acknowledged["outcome"], acknowledged["codes"], acknowledged["simulation"]) == ("accepted", [], True)
    assert poll(database, partner, T0 + timedelta(hours=1)) == 0  # final: never polled again


def test_a_rejection_keeps_its_codes_and_names_the_group_heads(database, partner, queued, handle):
    handle("AssociateLinked", {"company_id": "c-other", "associate_id": "c-blabla"})
    transmit(database, partner)
    reference = row(database, queued).partner_reference
    partner.answers[reference] = [report(1, "partner", "taken"), report(2, "administration", "rejected", "009", "13A")]
    poll(database, partner)
    deposit = row(database, queued)
    assert (deposit.status, deposit.codes) == ("rejected", "009,13A")
    last = steps(database, queued)[-1]
    assert (last.step, last.code, last.error, last.final) == ("rejected", "009,13A", True, True)
    [acknowledged] = events(database, "DeclarationAcknowledged")
    assert (acknowledged["outcome"], acknowledged["codes"]) == ("rejected", ["009", "13A"])
    assert acknowledged["group_head_ids"] == ["c-other"]


def test_a_replayed_report_changes_nothing(database, partner, queued):
    transmit(database, partner)
    reference = row(database, queued).partner_reference
    partner.answers[reference] = [report(1, "partner", "taken")]
    poll(database, partner)
    with database.transaction() as session:
        deposit = session.get(Deposit, queued)
        assert transmission.record_reports(session, deposit, [report(1, "partner", "taken")], T0) == 0
    partner.answers[reference] = [report(1, "partner", "taken"), report(2, "partner", "syntax_reject", "S01")]
    poll(database, partner, T0 + timedelta(seconds=10))
    with database.transaction() as session:
        deposit = session.get(Deposit, queued)
        later = [report(3, "administration", "accepted")]
        assert transmission.record_reports(session, deposit, later, T0) == 0  # final already
    assert row(database, queued).status == "refused_by_partner"
    assert [s.step for s in steps(database, queued)][-3:] == ["sent", "taken", "syntax_reject"]
    assert len(events(database, "DeclarationAcknowledged")) == 1


def test_an_unavailable_partner_is_retried_with_backoff_and_one_error_step(database, partner, queued):
    partner.failures = [PartnerUnavailable("timeout")] * 3
    at = T0
    delays = []
    for _ in range(3):
        assert transmit(database, partner, at) == 1
        deposit = row(database, queued)
        delays.append((deposit.next_attempt_at - at).total_seconds())
        assert transmit(database, partner, at) == 0  # not due before its backoff
        at = deposit.next_attempt_at
    assert 2.5 <= delays[0] <= 5 and 5 <= delays[1] <= 10 and 10 <= delays[2] <= 20
    assert row(database, queued).attempts == 3
    errors = [s for s in steps(database, queued) if s.error]
    assert [(s.step, s.final) for s in errors] == [("partner_unavailable", False)]
    transmit(database, partner, at)
    assert row(database, queued).status == "sent" and len(partner.filings) == 1


def test_failed_polls_back_off_with_one_step_per_run_of_failures(database, partner, queued):
    transmit(database, partner, T0)
    reference = row(database, queued).partner_reference
    # Down, an HTTP error, a defect of the client: three failures in a row, each backing off more.
    partner.report_failures = [PartnerUnavailable("GET /v1/interchanges/x/reports: ConnectionError"),
                               PartnerUnavailable("GET /v1/interchanges/x/reports: HTTP 503"), RuntimeError("bug")]
    at, delays = T0, []
    for failures in (1, 2, 3):
        assert poll(database, partner, at) == 1
        deposit = row(database, queued)
        assert deposit.poll_failures == failures and deposit.status == "sent"
        delays.append((deposit.next_attempt_at - at).total_seconds())
        assert poll(database, partner, at) == 0  # not due before its backoff
        at = deposit.next_attempt_at
    # Never sooner than the poll interval (5 s), then base × 2^(n−1) with jitter.
    assert delays[0] == 5 and 5 <= delays[1] <= 10 and 10 <= delays[2] <= 20
    unavailable = [s for s in steps(database, queued) if s.step == "reports_unavailable"]
    assert [(s.error, s.final, s.source, s.detail) for s in unavailable] == [
        (True, False, "partner", "GET /v1/interchanges/x/reports: ConnectionError")]
    # An answer: its report recorded, the count back to 0, the usual interval again.
    partner.answers[reference] = [report(1, "partner", "taken")]
    assert poll(database, partner, at) == 1
    deposit = row(database, queued)
    assert (deposit.status, deposit.poll_failures) == ("taken", 0)
    assert (deposit.next_attempt_at - at).total_seconds() == SETTINGS.poll_interval
    # A new run of failures: a new step.
    partner.report_failures = [PartnerUnavailable("HTTP 502")] * 2
    for _ in range(2):
        at = row(database, queued).next_attempt_at
        poll(database, partner, at)
    assert [s.step for s in steps(database, queued) if s.error] == ["reports_unavailable", "reports_unavailable"]
    assert row(database, queued).poll_failures == 2


def test_the_backoff_is_capped_and_jittered():
    rng = random.Random(3)
    values = [transmission.backoff(30, SETTINGS, rng) for _ in range(50)]
    assert all(1800 <= value <= 3600 for value in values) and len(set(values)) > 1


def test_a_refusal_of_the_partner_is_final(database, partner, queued):
    partner.failures = [PartnerRefused("invalid_interchange", "bad token")]
    transmit(database, partner)
    deposit = row(database, queued)
    assert (deposit.status, deposit.codes) == ("refused_by_partner", "invalid_interchange")
    [acknowledged] = events(database, "DeclarationAcknowledged")
    assert acknowledged["outcome"] == "refused_by_partner"
    assert transmit(database, partner) == 0


def test_a_worker_dying_after_the_partner_answered_sends_nothing_twice(database, partner, queued, monkeypatch):
    real = transmission._record_submission

    def killed(*args, **kwargs):
        raise SystemExit("killed before the commit")

    monkeypatch.setattr(transmission, "_record_submission", killed)
    with pytest.raises(SystemExit):
        transmit(database, partner)
    assert row(database, queued).status == "queued" and partner.calls == 1
    monkeypatch.setattr(transmission, "_record_submission", real)
    transmit(database, partner)
    assert partner.calls == 2 and len(partner.filings) == 1
    assert row(database, queued).partner_reference == f"REF-{queued[:8]}"
    assert len(events(database, "DeclarationTransmitted")) == 1


def test_a_deposit_refused_by_the_partner_is_not_corrected_by_the_next(client, declarant, good, database, partner,
                                                                        queued):
    partner.failures = [PartnerRefused("invalid_interchange")]
    transmit(database, partner)
    again = client.post("/declarations/deposits", headers=declarant("c-blabla"), content_type="application/edifact",
                        data=good.replace(b"RFF+ACD:IS1", b"RFF+ACD:IS2"))
    assert again.status_code == 201 and again.get_json()["corrective"] is False


class FileStub:
    def open(self, key):
        return iter([b"UNA:+.? '", key.encode()])


@pytest.fixture
def postgresql_database():
    with testing.postgresql_database("declarations") as database:
        yield database


def test_two_workers_never_take_the_same_deposit_on_postgresql(postgresql_database):
    import threading
    import time
    database = postgresql_database
    with database.transaction() as session:
        for number in range(6):
            session.add(Deposit(id=f"dep{number}", entity_id="c-blabla", siren="732829320", declarant_id="d-1",
                                file_key=f"deposits/{number}", size=10, sha256=f"{number:064d}", kind="INFENT",
                                campaign=2024, status="queued", next_attempt_at=T0, deposited_at=T0, receipt=""))

    class SlowPartner(FakePartner):
        def __init__(self):
            super().__init__()
            self.lock, self.by_thread = threading.Lock(), {}

        def submit(self, deposit_id, siren, content):
            time.sleep(0.05)  # the partner's latency: the other worker runs meanwhile
            with self.lock:
                self.by_thread.setdefault(threading.current_thread().name, []).append(deposit_id)
                return super().submit(deposit_id, siren, content)

    partner = SlowPartner()
    workers = [threading.Thread(target=transmission.transmit_due, name=f"w{n}",
                                args=(database, partner, FileStub(), SETTINGS), kwargs={"now": lambda: T0})
               for n in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    submitted = [deposit for deposits in partner.by_thread.values() for deposit in deposits]
    assert sorted(submitted) == [f"dep{number}" for number in range(6)]  # each once, none twice
    assert len(partner.by_thread) == 2  # both worked, side by side
    with database.sessions() as session:
        assert set(session.scalars(select(Deposit.status))) == {"sent"}

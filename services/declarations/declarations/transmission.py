"""The deposit's life after the portal's checks: queued deposits submitted to the EDI partner (with
backoff when it does not answer), transmitted ones polled for the partner's and the
administration's reports until a final answer — each change one transaction with its event."""
from __future__ import annotations

import logging
import random
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalkit.db import Database, utcnow
from portalkit.filestore import FileStore

from . import supervision_rows, tree
from .deposits import _entity_name
from .events import outbox
from .models import FINAL_STATES, Deposit, DepositStep
from .partner import Partner, PartnerRefused, PartnerUnavailable, Report, Submission
from .settings import TransmissionSettings

log = logging.getLogger(__name__)
POLLED = ("sent", "taken")
# A report's outcome → the deposit's status (the partner's "taken" is not final).
STATUS_OF = {"taken": "taken", "syntax_reject": "refused_by_partner", "accepted": "accepted",
             "partly_rejected": "partly_rejected", "rejected": "rejected"}
ERRORS = frozenset({"syntax_reject", "partly_rejected", "rejected"})


def backoff(attempts: int, settings: TransmissionSettings, rng: random.Random | None = None) -> float:
    """The delay before attempt ``attempts + 1``: base × 2^(attempts−1), capped, with "equal
    jitter" (half fixed, half random) so that workers failing together do not retry together."""
    ceiling = min(settings.retry_max, settings.retry_base * 2 ** max(0, attempts - 1))
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


def _due(session: Session, statuses: tuple[str, ...], moment: datetime, limit: int, lock: bool):
    query = (select(Deposit).where(Deposit.status.in_(statuses), Deposit.next_attempt_at <= moment)
             .order_by(Deposit.next_attempt_at, Deposit.id).limit(limit))
    if lock and session.get_bind().dialect.name == "postgresql":
        # Two workers never take the same deposit: the other one skips it.
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def _fact(session: Session, row: Deposit) -> dict:
    """What DeclarationTransmitted and DeclarationAcknowledged share (events.DeclarationFact)."""
    return {"deposit_id": row.id, "entity_id": row.entity_id, "entity_name": _entity_name(session, row.entity_id),
            "siren": row.siren, "declarant_id": row.declarant_id, "file_name": row.file_name,
            "obligation": row.obligation, "period_end": row.period_end,
            "partner_reference": row.partner_reference or "",
            "group_head_ids": tree.ancestors(session, row.entity_id), "simulation": row.simulation}


def _acknowledge(session: Session, row: Deposit, outcome: str, codes: list[str], moment: datetime) -> None:
    row.status, row.acknowledged_at, row.next_attempt_at = outcome, moment, None
    row.codes = ",".join(codes)[:200]
    outbox.add(session, "DeclarationAcknowledged", {**_fact(session, row), "outcome": outcome, "codes": codes,
                                                     "acknowledged_at": moment})


# --- transmitting -----------------------------------------------------------------------------
def _submit(partner: Partner, store: FileStore, row: Deposit) -> Submission | PartnerRefused | PartnerUnavailable:
    """The partner's answer to one submission, an exception being an answer too."""
    try:
        return partner.submit(row.id, row.siren, b"".join(store.open(row.file_key)))
    except (PartnerRefused, PartnerUnavailable) as answer:
        return answer
    except Exception as error:  # a defect of the client or the network stack: retried like an outage
        log.exception("submitting deposit %s failed", row.id)
        return PartnerUnavailable(str(error))


def _record_submission(session: Session, row: Deposit, answer, settings: TransmissionSettings,
                       moment: datetime, rng: random.Random | None) -> None:
    if isinstance(answer, Submission):
        row.status, row.partner_reference, row.transmitted_at = "sent", answer.reference[:64], moment
        row.simulation = row.simulation or answer.simulation
        row.next_attempt_at = moment  # its reports are polled right away (the partner's are immediate)
        session.add(DepositStep(deposit_id=row.id, step="sent", at=moment, source="partner",
                                simulation=answer.simulation, detail=row.partner_reference))
        outbox.add(session, "DeclarationTransmitted", {**_fact(session, row), "transmitted_at": moment})
    elif isinstance(answer, PartnerRefused):
        session.add(DepositStep(deposit_id=row.id, step="refused_by_partner", at=moment, source="partner",
                                code=answer.code[:20], detail=answer.detail, error=True, final=True,
                                simulation=row.simulation))
        _acknowledge(session, row, "refused_by_partner", [answer.code], moment)
    else:
        # One error step per run of failures, not one per attempt: the timeline says the partner
        # was unavailable and that the portal keeps trying; ``attempts`` counts the rest.
        if row.attempts == 0:
            session.add(DepositStep(deposit_id=row.id, step="partner_unavailable", at=moment, source="partner",
                                    detail=str(answer)[:500], error=True))
        row.attempts += 1
        row.next_attempt_at = moment + timedelta(seconds=backoff(row.attempts, settings, rng))
        log.warning("the partner did not take deposit %s (attempt %d): %s", row.id, row.attempts, answer)
    supervision_rows.record(session, row)


def transmit_due(database: Database, partner: Partner, store: FileStore, settings: TransmissionSettings,
                 now: Callable[[], datetime] = utcnow, rng: random.Random | None = None) -> int:
    """Submit the queued deposits that are due, one transaction each; the number handled."""
    handled = 0
    for _ in range(settings.batch):
        if database.is_postgresql:
            # The row stays locked while the partner answers: no other worker submits it meanwhile.
            with database.transaction() as session:
                rows = _due(session, ("queued",), now(), 1, lock=True)
                if not rows:
                    return handled
                _record_submission(session, rows[0], _submit(partner, store, rows[0]), settings, now(), rng)
        else:
            # SQLite (one worker): the write lock is not held during the partner's answer.
            with database.read_sessions() as session:
                rows = _due(session, ("queued",), now(), 1, lock=False)
            if not rows:
                return handled
            answer = _submit(partner, store, rows[0])
            with database.transaction() as session:
                row = session.get(Deposit, rows[0].id)
                if row.status == "queued" and row.attempts == rows[0].attempts:
                    _record_submission(session, row, answer, settings, now(), rng)
        handled += 1
    return handled


# --- following --------------------------------------------------------------------------------
def record_reports(session: Session, row: Deposit, reports: list[Report], moment: datetime) -> int:
    """Add the reports not seen yet (by ``report_id``) and move the deposit; the number added.
    A report polled again, or any report after a final answer, changes nothing."""
    seen = set(session.scalars(select(DepositStep.report_id).where(DepositStep.deposit_id == row.id,
                                                                   DepositStep.report_id.is_not(None))))
    added = 0
    for report in reports:
        if row.status in FINAL_STATES:
            break
        if report.id in seen or report.outcome not in STATUS_OF:
            continue
        seen.add(report.id)
        status = STATUS_OF[report.outcome]
        final = status in FINAL_STATES
        session.add(DepositStep(deposit_id=row.id, step=report.outcome, at=report.at or moment,
                                source=report.source[:20], code=",".join(report.codes)[:20],
                                detail=report.detail, simulation=report.simulation,
                                error=report.outcome in ERRORS, final=final, report_id=report.id[:64]))
        row.simulation = row.simulation or report.simulation
        added += 1
        if final:
            _acknowledge(session, row, status, list(report.codes), moment)
        else:
            row.status = status
    if added:
        supervision_rows.record(session, row)
    return added


def _record_poll(session: Session, row: Deposit, reports: list[Report] | None, failure: str | None,
                 settings: TransmissionSettings, moment: datetime, rng: random.Random | None = None) -> None:
    """One poll's outcome: the reports recorded, or the failure with its backoff — one timeline
    step ``reports_unavailable`` per run of failures (the first), ``poll_failures`` counting the
    rest, set back to 0 by the next answer."""
    if failure is not None:
        if row.poll_failures == 0:
            session.add(DepositStep(deposit_id=row.id, step="reports_unavailable", at=moment, source="partner",
                                    detail=failure[:500], error=True, simulation=row.simulation))
        row.poll_failures += 1
        # Never sooner than the usual interval; longer and longer while the partner stays down.
        delay = max(settings.poll_interval, backoff(row.poll_failures, settings, rng))
        row.next_attempt_at = moment + timedelta(seconds=delay)
        return
    row.poll_failures = 0
    record_reports(session, row, reports or [], moment)
    if row.status in POLLED:
        row.next_attempt_at = moment + timedelta(seconds=settings.poll_interval)


def poll_due(database: Database, partner: Partner, settings: TransmissionSettings,
             now: Callable[[], datetime] = utcnow) -> int:
    """Poll the transmitted deposits that are due for their reports; the number polled."""
    with database.read_sessions() as session:
        due = [(row.id, row.partner_reference) for row in _due(session, POLLED, now(), settings.batch, lock=False)]
    for deposit_id, reference in due:
        try:
            reports, failure = partner.reports(reference), None
        except PartnerUnavailable as error:
            log.warning("the partner did not answer the reports of deposit %s: %s", deposit_id, error)
            reports, failure = None, str(error)
        except Exception as error:
            log.exception("polling deposit %s failed", deposit_id)
            reports, failure = None, str(error) or type(error).__name__
        with database.transaction() as session:
            query = select(Deposit).where(Deposit.id == deposit_id)
            if database.is_postgresql:
                query = query.with_for_update()  # a concurrent poll of the same deposit waits, then sees the steps
            row = session.scalars(query).one()
            if row.status not in POLLED:
                continue
            _record_poll(session, row, reports, failure, settings, now())
    return len(due)


# --- the worker's loops -----------------------------------------------------------------------
@dataclass
class Loops:
    """The two loops of declarations' worker (portalkit.worker.run_worker's ``loops``)."""

    database: Database
    partner: Partner
    store: FileStore
    settings: TransmissionSettings

    def transmit(self, stopping: threading.Event) -> None:
        self._run(stopping, lambda: transmit_due(self.database, self.partner, self.store, self.settings))

    def poll(self, stopping: threading.Event) -> None:
        self._run(stopping, lambda: poll_due(self.database, self.partner, self.settings))

    def _run(self, stopping: threading.Event, step: Callable[[], int]) -> None:
        while not stopping.is_set():
            try:
                busy = step()
            except Exception:  # a database outage: the loop outlives it
                log.exception("the transmission loop failed; it goes on")
                busy = 0
            if not busy:
                stopping.wait(self.settings.idle_interval)

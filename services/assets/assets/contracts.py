"""Companies' maintenance contracts: operators record and end them; the portal is told when one
comes into force (``ContractActivated``) and when it stops (``ContractEnded``).

A contract recorded with a later first day is told on that day, and one with a last day is ended
the day after, by the worker's daily check (``run_due``), so the catalog only ever hears facts.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portalkit.db import Database, utcnow
from portalkit.errors import PortalError, not_found
from portalkit.jobs import PeriodicJob, every

from . import clock
from .events import outbox
from .models import Company, Contract, ContractHolding, Holding


def record(session: Session, data: dict, operator_id: str | None = None) -> Contract:
    """Record a contract covering the company's ``holding_ids`` (none named: all its holdings);
    ``operator_id`` (who recorded it) goes to the company's trail (identity)."""
    if session.get(Company, data["company_id"]) is None:
        raise _invalid("company_id", "No such company.")
    if data.get("ends_on") is not None and data["ends_on"] < data["starts_on"]:
        raise _invalid("ends_on", "The last day cannot come before the first.")
    holding_ids = _company_holdings(session, data["company_id"], data.get("holding_ids") or [])
    contract = Contract(company_id=data["company_id"], starts_on=data["starts_on"], ends_on=data.get("ends_on"))
    session.add(contract)
    session.flush()
    session.add_all(ContractHolding(contract_id=contract.id, holding_id=holding_id) for holding_id in holding_ids)
    if operator_id:
        outbox.add(session, "ContractRecorded", {"contract_id": contract.id, "company_id": contract.company_id,
                                                 "starts_on": contract.starts_on, "ends_on": contract.ends_on,
                                                 "operator_id": operator_id})
    day = clock.today()
    if contract.starts_on <= day:
        _activate(session, contract)
        if contract.ends_on is not None and contract.ends_on < day:
            _end(session, contract, contract.ends_on + timedelta(days=1))  # recorded after the fact
    session.commit()
    return contract


def _company_holdings(session: Session, company_id: str, holding_ids: list[str]) -> list[str]:
    """The holdings named, each once; 400 naming those that are not the company's (another
    company's answers like an unknown one) or are removed."""
    wanted = list(dict.fromkeys(holding_ids))
    if not wanted:
        return []
    found = set(session.scalars(select(Holding.id).where(
        Holding.id.in_(wanted), Holding.company_id == company_id, Holding.removed_at.is_(None))))
    missing = [holding_id for holding_id in wanted if holding_id not in found]
    if missing:
        raise PortalError(400, "invalid_input", "Some fields are invalid.", {
            "holding_ids": [f"Not a holding of this company: {', '.join(missing[:20])}."]})
    return wanted


def end(session: Session, contract_id: str, ends_on: date | None = None, operator_id: str | None = None) -> Contract:
    """An operator's decision, before or without the planned last day: the contract ends today, or
    ``ends_on`` is its last day (today or later; the daily check ends it the day after)."""
    contract = find(session, contract_id)
    if contract.ended_on is not None:
        raise PortalError(409, "contract_ended", "This contract has ended already.")
    day = clock.today()
    if ends_on is None:
        _end(session, contract, day, operator_id)
    else:
        if ends_on < day:
            raise _invalid("ends_on", "The last day cannot be in the past: leave it out to end the contract today.")
        if ends_on < contract.starts_on:
            raise _invalid("ends_on", "The last day cannot come before the first.")
        contract.ends_on = ends_on
        if operator_id:
            outbox.add(session, "ContractEndScheduled", {"contract_id": contract.id, "company_id": contract.company_id,
                                                         "ends_on": ends_on, "operator_id": operator_id})
    session.commit()
    return contract


def find(session: Session, contract_id: str) -> Contract:
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise not_found("contract")
    return contract


def list_contracts(session: Session, query: dict) -> tuple[list[Contract], int]:
    conditions = [Contract.company_id == query["company_id"]] if query.get("company_id") else []
    total = session.scalar(select(func.count()).select_from(Contract).where(*conditions))
    page, per_page = query["page"], query["per_page"]
    contracts = session.scalars(select(Contract).where(*conditions)
                                .order_by(Contract.starts_on.desc(), Contract.id)
                                .offset((page - 1) * per_page).limit(per_page)).all()
    return list(contracts), total


def run_due(session: Session, day: date) -> int:
    """Tell the contracts whose first day has come, end those whose last day has passed."""
    starting = session.scalars(select(Contract).where(
        Contract.activated_at.is_(None), Contract.ended_on.is_(None), Contract.starts_on <= day)).all()
    for contract in starting:
        _activate(session, contract)
    ending = session.scalars(select(Contract).where(
        Contract.ended_on.is_(None), Contract.ends_on < day)).all()
    for contract in ending:
        _end(session, contract, contract.ends_on + timedelta(days=1))
    return len(starting) + len(ending)


def _activate(session: Session, contract: Contract) -> None:
    contract.activated_at = utcnow()
    outbox.add(session, "ContractActivated", {"contract_id": contract.id, "company_id": contract.company_id,
                                              "starts_on": contract.starts_on, "ends_on": contract.ends_on})


def _end(session: Session, contract: Contract, ended_on: date, operator_id: str | None = None) -> None:
    contract.ended_on = ended_on
    if contract.activated_at is not None:  # a contract never in force ends without a word
        facts = {"contract_id": contract.id, "company_id": contract.company_id, "ended_on": ended_on}
        outbox.add(session, "ContractEnded", {**facts, "operator_id": operator_id} if operator_id else facts)


def _invalid(field: str, message: str) -> PortalError:
    return PortalError(400, "invalid_input", "Some fields are invalid.", {field: [message]})


def contract_check(database: Database, interval: float) -> PeriodicJob:
    """The worker's periodic job: ``run_due`` for today every ``interval`` seconds."""
    def run() -> None:
        with database.transaction() as session:
            run_due(session, clock.today())
    return every(interval, run, "contract check")

"""The supervisor's table: each subsidiary × obligation it files for the year's periods, its state
from the latest deposit, the ``late`` and ``stuck`` flags — sorted, filtered, paged and summarised
in SQL (one page query, one summary query), whatever the count of subsidiaries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Date, Integer, String, and_, bindparam, case, func, literal, or_, select, text
from sqlalchemy.orm import Session

from portalkit.signed_identity import Identity

from . import deadlines, scope
from .models import FINAL_STATES, Deposit, Entity
from .obligations import CODES

STATES = ("expected", "deposited", "accepted", "partly_rejected", "rejected", "refused_by_partner")
FLAGS = ("late", "stuck")
IN_FLIGHT = ("queued", "sent", "taken")


@dataclass(frozen=True)
class Criteria:
    year: int
    obligation: str | None = None
    state: str | None = None    # one of STATES, or a flag (FLAGS)
    entity: str | None = None   # an entity's id or SIREN, or a part of its name


def _periods(session: Session, ids, criteria: Criteria):
    """The (closing, obligation, period end, due date) rows of the year, as a VALUES table: one per
    distinct closing of the scope (≤ 366) × obligation; the due dates' rules stay in deadlines.py."""
    closings = sorted(set(session.scalars(select(Entity.closing).where(Entity.id.in_(ids)).distinct())) or {"12-31"})
    obligations = [criteria.obligation] if criteria.obligation else list(CODES)
    rows, params = [], {}
    postgres = session.get_bind().dialect.name == "postgresql"
    for number, (closing, obligation) in enumerate((c, o) for c in closings for o in obligations):
        try:
            end = deadlines.obligation_period_end(obligation, closing, criteria.year)
        except ValueError:  # a malformed closing: that entity has no period to show
            continue
        params.update({f"c{number}": closing, f"o{number}": obligation, f"p{number}": end,
                       f"d{number}": deadlines.due_on(obligation, end), f"r{number}": CODES.index(obligation)})
        day = "CAST(:{}{} AS DATE)" if postgres else ":{}{}"
        rows.append(f"(:c{number}, :o{number}, {day.format('p', number)}, {day.format('d', number)}, :r{number})")
    if not rows:
        rows, params = ["(NULL, NULL, NULL, NULL, 0)"], {}
    values = text("SELECT column1 AS closing, column2 AS obligation, column3 AS period_end, column4 AS due_on, "
                  f"column5 AS rank FROM (VALUES {', '.join(rows)}) AS v")
    values = values.bindparams(*[bindparam(key, value, type_=Date() if key[0] in "pd" else None)
                                 for key, value in params.items()])
    return values.columns(closing=String(), obligation=String(), period_end=Date(), due_on=Date(),
                          rank=Integer()).subquery("periods")


def _search(query: str):
    pattern = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(Entity.id == query, Entity.siren == query, func.lower(Entity.name).like(pattern, escape="\\"))


def table(session: Session, identity: Identity, criteria: Criteria, today: date, now: datetime, stuck_hours: float):
    """The table's rows before the state filter, as a subquery (state, late, stuck computed)."""
    ids = scope.entity_ids(identity).subquery("scope_ids")
    periods = _periods(session, select(ids.c.id), criteria)
    latest = select(Deposit.id, Deposit.entity_id, Deposit.obligation, Deposit.period_end, Deposit.status,
                    Deposit.codes, Deposit.transmitted_at,
                    func.row_number().over(partition_by=(Deposit.entity_id, Deposit.obligation, Deposit.period_end),
                                           order_by=(Deposit.deposited_at.desc(), Deposit.id.desc())).label("newest"))
    latest = latest.where(Deposit.entity_id.in_(select(ids.c.id)),
                          Deposit.period_end.in_(select(periods.c.period_end)))
    if criteria.obligation:
        latest = latest.where(Deposit.obligation == criteria.obligation)
    latest = latest.subquery("latest")
    state = case((latest.c.id.is_(None), "expected"), (latest.c.status.in_(IN_FLIGHT), "deposited"),
                 else_=latest.c.status)
    late = case((and_(periods.c.due_on < today, or_(latest.c.status.is_(None), latest.c.status != "accepted")), 1),
                else_=0)
    stuck = case((and_(latest.c.transmitted_at < now - timedelta(hours=stuck_hours),
                       latest.c.status.not_in(sorted(FINAL_STATES))), 1), else_=0)
    files = (literal(",") + func.replace(Entity.obligations, " ", "") + literal(",")).like(
        literal("%,") + periods.c.obligation + literal(",%"))
    rows = (select(Entity.id.label("entity_id"), Entity.name, Entity.siren, periods.c.obligation, periods.c.rank,
                   periods.c.period_end, periods.c.due_on, latest.c.id.label("deposit_id"), latest.c.codes,
                   latest.c.transmitted_at, state.label("state"), late.label("late"), stuck.label("stuck"))
            .select_from(Entity).join(ids, ids.c.id == Entity.id)
            .join(periods, and_(periods.c.closing == Entity.closing, files))
            .outerjoin(latest, and_(latest.c.entity_id == Entity.id, latest.c.obligation == periods.c.obligation,
                                    latest.c.period_end == periods.c.period_end, latest.c.newest == 1)))
    if criteria.entity:
        rows = rows.where(_search(criteria.entity))
    return rows.subquery("supervised")


def _narrowed(rows, state: str | None):
    if state in FLAGS:
        return rows.c[state] == 1
    if state:
        return rows.c.state == state
    return True


def page(session: Session, identity: Identity, criteria: Criteria, page_number: int, per_page: int,
         today: date, now: datetime, stuck_hours: float) -> tuple[list, dict, int]:
    """The page's rows (late and stuck first, then by due date, entity name), the summary (counts
    per state and flag, the state criterion left out) and the total matching the criteria."""
    rows = table(session, identity, criteria, today, now, stuck_hours)
    flagged = case((rows.c.late + rows.c.stuck > 0, 0), else_=1)
    found = session.execute(select(rows).where(_narrowed(rows, criteria.state))
                            .order_by(flagged, rows.c.due_on, rows.c.name, rows.c.entity_id, rows.c.rank)
                            .offset((page_number - 1) * per_page).limit(per_page)).mappings().all()
    counts = session.execute(select(rows.c.state, func.count(), func.sum(rows.c.late), func.sum(rows.c.stuck))
                             .group_by(rows.c.state)).all()
    summary = {name: 0 for name in STATES + FLAGS}
    for name, count, late, stuck in counts:
        summary[name] = count
        summary["late"] += int(late or 0)
        summary["stuck"] += int(stuck or 0)
    if criteria.state:
        total = summary[criteria.state]
    else:
        total = sum(summary[name] for name in STATES)
    return found, summary, total


def latest_deposits(session: Session, identity: Identity, criteria: Criteria, today: date, now: datetime,
                    after: tuple[str, str] | None, size: int):
    """The next ``size`` rows having a deposit, by entity name and id then obligation, after the
    (name, id) of the last batch's last row (keyset: the ZIP reads them a batch at a time)."""
    rows = table(session, identity, criteria, today, now, 24.0)
    query = select(rows.c.entity_id, rows.c.name, rows.c.siren, rows.c.deposit_id).where(rows.c.deposit_id.is_not(None))
    if after is not None:
        query = query.where(or_(rows.c.name > after[0], and_(rows.c.name == after[0], rows.c.entity_id > after[1])))
    # Whole entities per batch: the keyset is (name, id), so an entity's obligations never split.
    entities = select(rows.c.name, rows.c.entity_id).where(rows.c.deposit_id.is_not(None))
    if after is not None:
        entities = entities.where(or_(rows.c.name > after[0], and_(rows.c.name == after[0], rows.c.entity_id > after[1])))
    entities = entities.distinct().order_by(rows.c.name, rows.c.entity_id).limit(size).subquery("batch")
    query = query.join(entities, entities.c.entity_id == rows.c.entity_id).order_by(rows.c.name, rows.c.entity_id,
                                                                                     rows.c.rank)
    return session.execute(query).all()

"""The supervisor's table kept ready (``SupervisionRow``): one row per entity with a SIREN ×
obligation it files × year, its due date and its latest deposit's state. Each change that moves a
row updates it in its own transaction — a deposit and each step of its transmission (``record``),
an entity's name, SIREN or fiscal profile (``refresh_entity``) — and a year's rows are filled for
every entity, set-based, before its first read or ahead by the worker (``ensure_year``): no year is
ever half there."""
from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import Date, Integer, String, and_, bindparam, case, delete, func, insert, literal, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portalkit.db import Database, utcnow
from portalkit.jobs import PeriodicJob, every

from . import deadlines, supervision_tallies as tallies
from .models import Deposit, Entity, SupervisionRow, SupervisionYear
from .obligations import CODES

IN_FLIGHT = ("queued", "sent", "taken")  # a deposit the administration has not answered: "deposited"
COLUMNS = ("entity_id", "obligation", "year", "rank", "name", "siren", "period_end", "due_on", "deposit_id",
           "state", "codes", "transmitted_at")


def state_of(status: str | None) -> str:
    """The table's state of a deposit's status (None: no deposit, the filing is expected)."""
    if status is None:
        return "expected"
    return "deposited" if status in IN_FLIGHT else status


def _latest(session: Session, entity_id: str, obligation: str, period_end: date) -> Deposit | None:
    return session.scalars(select(Deposit).where(
        Deposit.entity_id == entity_id, Deposit.obligation == obligation, Deposit.period_end == period_end)
        .order_by(Deposit.deposited_at.desc(), Deposit.id.desc()).limit(1)).first()


def _follow(row: SupervisionRow, deposit: Deposit | None) -> None:
    row.deposit_id = deposit.id if deposit is not None else None
    row.state = state_of(deposit.status if deposit is not None else None)
    row.codes = deposit.codes if deposit is not None else ""
    row.transmitted_at = deposit.transmitted_at if deposit is not None else None


def record(session: Session, deposit: Deposit) -> None:
    """Follow a deposit's change (recorded, sent, answered) in its row, if the row exists: the
    row shows the newest deposit of its period, so an older one's answer leaves it as it is."""
    if deposit.period_end is None:
        return
    # Locked first (PostgreSQL): a concurrent change of the same period waits, then reads the latest.
    row = session.get(SupervisionRow, (deposit.entity_id, deposit.obligation, deposit.period_end.year),
                      with_for_update=True)
    if row is not None and row.period_end == deposit.period_end:
        session.flush()
        before = tallies.key(row)
        _follow(row, _latest(session, deposit.entity_id, deposit.obligation, deposit.period_end))
        if tallies.key(row) != before:
            tallies.count(session, row.entity_id, Counter({before: -1, tallies.key(row): 1}))


def _expected(entity: Entity) -> list[str]:
    named = {code.strip() for code in (entity.obligations or "").split(",")}
    return [code for code in CODES if code in named]


def refresh_entity(session: Session, entity: Entity) -> None:
    """Rewrite an entity's rows of the filled years after its name, SIREN, closing or obligations
    changed (or it arrived): none without a SIREN, one per obligation it files."""
    session.flush()
    changes = Counter()
    for row in session.scalars(select(SupervisionRow).where(SupervisionRow.entity_id == entity.id)):
        changes[tallies.key(row)] -= 1
    session.execute(delete(SupervisionRow).where(SupervisionRow.entity_id == entity.id),
                    execution_options={"synchronize_session": "fetch"})
    if entity.siren:
        _add_rows(session, entity, changes)
    tallies.count(session, entity.id, changes)
    session.flush()


def _add_rows(session: Session, entity: Entity, changes: Counter) -> None:
    """The entity's rows of each filled year, counted in ``changes``."""
    for year in session.scalars(select(SupervisionYear.year)):
        for obligation in _expected(entity):
            try:
                end = deadlines.obligation_period_end(obligation, entity.closing or "12-31", year)
            except ValueError:  # a malformed closing: no period to show
                continue
            row = SupervisionRow(entity_id=entity.id, obligation=obligation, year=year, rank=CODES.index(obligation),
                                 name=entity.name or "", siren=entity.siren, period_end=end,
                                 due_on=deadlines.due_on(obligation, end))
            _follow(row, _latest(session, entity.id, obligation, end))
            session.add(row)
            changes[tallies.key(row)] += 1


def _periods(session: Session, year: int):
    """The (closing, obligation, period end, due date, rank) of ``year`` for every closing the
    entities have (≤ 366) × obligation, as a VALUES table: the rules stay in deadlines.py."""
    closings = sorted(set(session.scalars(select(Entity.closing).where(Entity.siren.is_not(None)).distinct())))
    rows, params = [], {}
    postgres = session.get_bind().dialect.name == "postgresql"
    day = "CAST(:{}{} AS DATE)" if postgres else ":{}{}"
    for number, (closing, obligation) in enumerate((c, o) for c in closings for o in CODES):
        try:
            end = deadlines.obligation_period_end(obligation, closing, year)
        except ValueError:
            continue
        params.update({f"c{number}": closing, f"o{number}": obligation, f"p{number}": end,
                       f"d{number}": deadlines.due_on(obligation, end), f"r{number}": CODES.index(obligation)})
        rows.append(f"(:c{number}, :o{number}, {day.format('p', number)}, {day.format('d', number)}, :r{number})")
    if not rows:
        return None
    values = text("SELECT column1 AS closing, column2 AS obligation, column3 AS period_end, column4 AS due_on, "
                  f"column5 AS rank FROM (VALUES {', '.join(rows)}) AS v")
    values = values.bindparams(*[bindparam(key, value, type_=Date() if key[0] in "pd" else None)
                                 for key, value in params.items()])
    return values.columns(closing=String(), obligation=String(), period_end=Date(), due_on=Date(),
                          rank=Integer()).subquery("periods")


def _fill(session: Session, year: int) -> None:
    periods = _periods(session, year)
    if periods is None:
        return
    latest = (select(Deposit.id, Deposit.entity_id, Deposit.obligation, Deposit.period_end, Deposit.status,
                     Deposit.codes, Deposit.transmitted_at,
                     func.row_number().over(partition_by=(Deposit.entity_id, Deposit.obligation, Deposit.period_end),
                                            order_by=(Deposit.deposited_at.desc(), Deposit.id.desc())).label("newest"))
              .where(Deposit.period_end.in_(select(periods.c.period_end))).subquery("latest"))
    state = case((latest.c.id.is_(None), "expected"), (latest.c.status.in_(IN_FLIGHT), "deposited"),
                 else_=latest.c.status)
    files = (literal(",") + func.replace(Entity.obligations, " ", "") + literal(",")).like(
        literal("%,") + periods.c.obligation + literal(",%"))
    rows = (select(Entity.id, periods.c.obligation, literal(year), periods.c.rank, func.coalesce(Entity.name, ""),
                   Entity.siren, periods.c.period_end, periods.c.due_on, latest.c.id, state,
                   func.coalesce(latest.c.codes, ""), latest.c.transmitted_at)
            .select_from(Entity).join(periods, and_(periods.c.closing == Entity.closing, files))
            .outerjoin(latest, and_(latest.c.entity_id == Entity.id, latest.c.obligation == periods.c.obligation,
                                    latest.c.period_end == periods.c.period_end, latest.c.newest == 1))
            .where(Entity.siren.is_not(None)))
    session.execute(insert(SupervisionRow).from_select(COLUMNS, rows))


def ensure_year(database: Database, year: int) -> None:
    """Fill ``year``'s rows for every entity unless done: in a transaction of its own, before the
    request reads (a GET's session reads without SQLite's write lock, and its snapshot must come
    after the fill); the year marked with its rows, so a concurrent first read loses on the mark."""
    with database.read_sessions() as session:
        if session.get(SupervisionYear, year) is not None:
            return
    try:
        with database.transaction() as session:
            if session.get(SupervisionYear, year) is not None:
                return
            session.add(SupervisionYear(year=year))
            session.flush()
            _fill(session, year)
            tallies.fill(session, year)
    except IntegrityError:
        pass  # another first read filled it


def years_ahead_job(database: Database, interval: float = 3600.0, now=utcnow) -> PeriodicJob:
    """The worker's job filling ahead the years the table and the deadlines read by default (last
    year's, this year's, next year's): a group of 10,000 subsidiaries never waits for their fill."""
    def fill_years() -> int:
        today = now().date()
        for year in (today.year - 1, today.year, today.year + 1):
            ensure_year(database, year)
        return 0
    return every(interval, fill_years, "supervision years")

"""Benchmark of the supervisor's table on PostgreSQL at 10,000 subsidiaries × 5 obligations.

Fills a scratch database in a few set-based statements (generate_series): a group head g0 with
10,000 subsidiaries (g00001…g10000, a hundred of them under a sub-holding, so the tree has depth),
each filing the five obligations, closings spread over four dates; for the periods ending 2024 a
deposit for four rows in five (states spread: accepted, rejected with codes, sent long ago — stuck —,
queued, refused by the partner, partly rejected), older superseded deposits for one row in ten.
Then times the first read of the year (it fills the year's ``supervision_rows``, once), and
``GET /declarations/supervision`` through the app's test client (the full stack but the network): the first page, a filtered page (obligation + state), the late page, a search by name;
beside it, the same two SQL statements run bare on the engine (``supervision.page``), for the ratio.

    .venv/bin/python benchmarks/declarations_supervision.py            # creates, measures, drops
    .venv/bin/python benchmarks/declarations_supervision.py --keep     # keeps the database
    .venv/bin/python benchmarks/declarations_supervision.py --reuse --keep

Target: p95 <= 100 ms for every case.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentiles  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/declarations_supervision_bench"
NOW = datetime(2025, 6, 10, 12, tzinfo=timezone.utc)  # after the 12-31 closings' due date: many late rows


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--subsidiaries", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=100, help="timed calls per case")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    return parser.parse_args(argv)


def fill(url: str, subsidiaries: int) -> None:
    from portalkit.db import Database
    from portalkit.migrations import upgrade

    from declarations import tree
    upgrade("declarations", url=url)
    database = Database(url)
    with database.engine.begin() as connection:
        run = _timed(connection)
        run("entities", f"""
            INSERT INTO entities (id, name, siren, parent_id, closing, obligations)
            SELECT 'g0', 'Group head', '100000000', NULL, '12-31', ''
            UNION ALL
            SELECT 'g' || lpad(n::text, 5, '0'), 'Subsidiary ' || lpad(n::text, 5, '0'),
                   lpad((200000000 + n)::text, 9, '0'),
                   CASE WHEN n > 1 AND n <= 101 THEN 'g00001' ELSE 'g0' END,
                   (ARRAY['12-31', '12-31', '06-30', '03-31'])[1 + n % 4], 'liasse,cvae,vat,das2,ifu'
            FROM generate_series(1, {subsidiaries}) n""")
        run("lineage (the tree's closure)", tree.REBUILD)
        statuses = "ARRAY['accepted','accepted','rejected','sent','queued','refused_by_partner','partly_rejected','taken']"
        run("deposits", f"""
            INSERT INTO deposits (id, entity_id, siren, declarant_id, file_key, file_name, size, sha256, kind,
                campaign, interchange_reference, regimes, currency, tax_reference, corrective, status,
                deposited_at, receipt, obligation, attempts, simulation, codes, transmitted_at, period_end)
            SELECT md5(e.id || o.code || v), e.id, e.siren, 'd', 'k', 'f.edi', 1, md5(e.id || o.code || v || 's'),
                   'INFENT', 2025, '', '', 'EUR', '', false, s.status,
                   TIMESTAMPTZ '2025-04-01' + (v * interval '1 day') + (random() * interval '10 days'), 'r',
                   o.code, 0, true, CASE WHEN s.status IN ('rejected', 'partly_rejected') THEN '009' ELSE '' END,
                   CASE WHEN s.status IN ('queued') THEN NULL ELSE TIMESTAMPTZ '2025-04-02' END,
                   CASE WHEN o.code IN ('das2', 'ifu') THEN DATE '2024-12-31'
                        ELSE make_date(2024, split_part(e.closing, '-', 1)::int, split_part(e.closing, '-', 2)::int) END
            FROM entities e
            CROSS JOIN (VALUES ('liasse', 0), ('cvae', 1), ('vat', 2), ('das2', 3), ('ifu', 4)) AS o(code, k)
            CROSS JOIN generate_series(0, 1) v
            CROSS JOIN LATERAL (SELECT ({statuses})[1 + (hashtext(e.id || o.code) & 7)] AS status) s
            WHERE e.id <> 'g0' AND (hashtext(e.id || o.code) % 5) <> 0
              AND (v = 0 OR hashtext(e.id || o.code) % 10 = 1)""")
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        _timed(connection)("analyze", "VACUUM ANALYZE")
    database.engine.dispose()


def _timed(connection):
    def run(label: str, sql: str) -> None:
        started = time.perf_counter()
        connection.execute(text(sql))
        print(f"  {label:<40} {time.perf_counter() - started:7.1f} s", flush=True)
    return run


CASES = {
    "first page": "year=2024",
    "filtered page (obligation + state)": "year=2024&obligation=vat&state=rejected",
    "late page": "year=2024&state=late&page=3",
    "search by name": "year=2024&entity=Subsidiary 04",
}


def measure(url: str, samples: int) -> dict:
    from portalkit.db import Database
    from portalkit.settings import identity_secret
    from portalkit.signed_identity import HEADER, Identity, sign

    from declarations import deadline_api, schedule, supervision, supervision_api
    from declarations.app import create_app
    os.environ["PORTAL_DECLARATIONS_DATABASE_URL"] = url
    supervision_api.now = lambda: NOW
    client = create_app({"TESTING": True}).test_client()
    identity = Identity(user_id="d-s", company_id="g0", scope="declarative", declarant_role="supervisor")
    headers = {HEADER: sign(identity, identity_secret(), ttl=3600)}
    database = Database(url)
    rng = random.Random(15)
    started = time.perf_counter()
    first = client.get("/declarations/supervision?year=2024", headers=headers)
    print(f"  the first read of 2024 (fills its {first.get_json()['total']:,} rows): "
          f"{time.perf_counter() - started:.2f} s", flush=True)
    # What autovacuum does within a minute of 50,000 new rows: the planner's statistics.
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE supervision_rows"))
    results = {}
    for label, query in CASES.items():
        params = dict(part.split("=", 1) for part in query.split("&"))
        criteria = supervision.Criteria(year=2024, obligation=params.get("obligation"), state=params.get("state"),
                                        entity=params.get("entity"))

        def call(query=query):
            return client.get(f"/declarations/supervision?{query}&page={rng.randint(1, 5)}"
                              if "page=" not in query else f"/declarations/supervision?{query}", headers=headers)

        def bare(session, criteria=criteria, page=int(params.get("page", 1))):
            supervision.page(session, identity, criteria, page, 50, NOW.date(), NOW, 24.0)
        results[label] = _case(label, call, bare, database, samples)
    # The deadlines of the same supervisor (the next of each subsidiary × obligation), read from the
    # same rows: its first read fills the years around today.
    deadline_api.today = lambda: NOW.date()
    started = time.perf_counter()
    client.get("/declarations/deadlines", headers=headers)
    print(f"  the deadlines' first read (fills 2024-2026): {time.perf_counter() - started:.2f} s", flush=True)
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE supervision_rows"))
    results["deadlines, a page"] = _case(
        "deadlines, a page", lambda: client.get(f"/declarations/deadlines?page={rng.randint(1, 20)}", headers=headers),
        lambda session: schedule.listed(session, identity, NOW.date(), None, 1, 50), database, samples)
    database.engine.dispose()
    return results


def _case(label: str, call, bare, database, samples: int) -> dict:
    """``samples`` timed calls through the test client, then as many of the bare use case."""
    for _ in range(10):
        call()
    durations, engine_durations = [], []
    for _ in range(samples):
        started = time.perf_counter()
        answer = call()
        durations.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200 or not answer.get_json()["items"]:
            sys.exit(f"{label}: answered {answer.status_code} {answer.get_data(as_text=True)[:300]}")
    for _ in range(samples):
        with database.sessions() as session:
            started = time.perf_counter()
            bare(session)
            engine_durations.append((time.perf_counter() - started) * 1000)
    app, engine = percentiles(durations), percentiles(engine_durations)
    result = {"app": app, "bare": engine, "ratio_p50": app["p50"] / engine["p50"], "total": answer.get_json()["total"]}
    print(f"  {label:<38} p50 {app['p50']:6.1f}  p95 {app['p95']:6.1f}  p99 {app['p99']:6.1f} ms"
          f"   bare p50 {engine['p50']:6.1f}  p95 {engine['p95']:6.1f} ms   ×{result['ratio_p50']:.2f}"
          f"   ({result['total']} rows)", flush=True)
    return result


def drop(url: str) -> None:
    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    engine.dispose()


def main(argv=None) -> bool:
    args = parse(argv)
    os.environ.setdefault("PORTAL_VAR_DIR", tempfile.mkdtemp(prefix="supervision-bench-"))
    if not args.reuse:
        drop(args.url)
    try:
        if not args.reuse:
            print(f"Filling {make_url(args.url).database}: {args.subsidiaries:,} subsidiaries × 5 obligations…")
            started = time.perf_counter()
            fill(args.url, args.subsidiaries)
            print(f"  filled in {time.perf_counter() - started:.0f} s")
        print(f"Measuring ({args.samples} requests each, through the test client; then the bare SQL):")
        results = measure(args.url, args.samples)
    finally:
        if not args.keep:
            drop(args.url)
            print("Database dropped.")
    worst = max(r["app"]["p95"] for label, r in results.items() if label in CASES)
    print(f"worst p95 of the table: {worst:.1f} ms (target <= 100 ms)")
    return worst <= 100


if __name__ == "__main__":
    sys.exit(0 if main() else 1)

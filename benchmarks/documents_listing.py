"""Benchmark of the documents list on PostgreSQL (issue: 10,000,000 documents in 100,000 companies).

Fills a scratch database in a few SQL statements (generate_series into an unlogged table, secondary
indexes and the unique constraint built after the load): the companies (10 associates under c000001), and the documents
spread evenly over them — 6 in 10 invoices, 1 in 10 credits, 2 in 10 intervention reports, 1 in 10
attendance sheets — dated over five years, amounts in EUR (1 in 20 in XPF). Then times
``GET /assets/documents`` through the app's test client (the full stack but the network), pages of
50 with the totals of the filtered set, for each case: filtered by kind and date as the issue asks,
and the other criteria.

    .venv/bin/python benchmarks/documents_listing.py --documents 10000000   # the issue's size
    .venv/bin/python benchmarks/documents_listing.py --keep                  # keeps the database

The database (``--url``, default ``documents_bench`` on the local server) is dropped at the end
unless ``--keep``; target: p95 <= 100 ms for every case.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/documents_bench"
INVOICES = "invoice-viewing-service"
REPORTS = "intervention-reports-and-attendance-sheet-viewing-service"
FIRST_DAY = date(2022, 1, 1)
DAYS = 5 * 365


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args(argv)


def company(n: str) -> str:
    return f"'c' || lpad(({n})::text, 6, '0')"


# The kind of document d: its rank within its company (d / companies) decides, so that every
# company has each kind in the same shares.
def kind(companies: int) -> str:
    k = f"(d / {companies}) % 10"
    return (f"CASE WHEN {k} < 6 THEN 'invoice' WHEN {k} = 6 THEN 'credit' "
            f"WHEN {k} < 9 THEN 'intervention_report' ELSE 'attendance_sheet' END")


def fill(url: str, documents: int, companies: int) -> dict:
    """Migrate, then load the companies and the documents; build the indexes after."""
    from portalkit.db import Database
    from portalkit.migrations import upgrade
    upgrade("assets", url=url)
    database = Database(url)
    timings: dict = {}
    priced = f"(d / {companies}) % 10 < 7"
    with database.engine.begin() as connection:
        run = _timed(connection, timings)
        run("companies", f"""
            INSERT INTO companies (id, number, name, parent_id)
            SELECT {company('n')}, n::text, 'Company ' || n, CASE WHEN n BETWEEN 2 AND 11 THEN 'c000001' END
            FROM generate_series(0, {companies - 1}) n""")
        indexes = connection.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'documents'"
            " AND indexname NOT LIKE 'pk_%' AND indexname NOT LIKE 'uq_%'")).all()
        for name, _ in indexes:
            connection.execute(text(f'DROP INDEX "{name}"'))  # built once after the load: much faster
        connection.execute(text("ALTER TABLE documents DROP CONSTRAINT uq_documents_company_kind_number"))
        # A scratch table: unlogged, the load writes no WAL (reads are the same as a logged table's).
        connection.execute(text("ALTER TABLE documents SET UNLOGGED"))
        run("documents", f"""
            INSERT INTO documents (id, company_id, kind, number, issued_on, amount, currency, intervention,
                                   file_key, file_name, size, sha256, published_at)
            SELECT 'd' || lpad(d::text, 31, '0'), {company(f'd % {companies}')}, {kind(companies)}, 'N-' || d,
                   DATE '{FIRST_DAY.isoformat()}' + ((d::bigint * 7919) % {DAYS})::int,
                   CASE WHEN {priced} THEN ((d::bigint * 104729) % 500000) / 100.0 END,
                   CASE WHEN {priced} THEN CASE WHEN (d / 7) % 20 = 0 THEN 'XPF' ELSE 'EUR' END END,
                   CASE WHEN NOT ({priced}) THEN 'INT-' || (d / 7) END,
                   'documents/' || d, 'N-' || d || '.pdf', 100000 + d % 50000, '{"ab" * 32}', now()
            FROM generate_series(1, {documents}) d""")
        run("unique number", "ALTER TABLE documents ADD CONSTRAINT uq_documents_company_kind_number "
                             "UNIQUE (company_id, kind, number)")
        for name, definition in indexes:
            run(f"index {name}", definition)
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        _timed(connection, timings)("analyze", "VACUUM ANALYZE documents")
        _timed(connection, timings)("checkpoint", "CHECKPOINT")
    database.engine.dispose()
    return timings


def _timed(connection, timings: dict):
    def run(label: str, sql: str) -> None:
        started = time.perf_counter()
        connection.execute(text(sql))
        timings[label] = time.perf_counter() - started
        print(f"  {label:<40} {timings[label]:7.1f} s", flush=True)
    return run


def measure(url: str, requests: int, companies: int) -> dict[str, dict]:
    """Time each listing through the app's test client; answers must be 200."""
    from portalkit.settings import identity_secret
    from portalkit.signed_identity import HEADER, Identity, sign

    from assets.app import create_app
    os.environ["PORTAL_ASSETS_DATABASE_URL"] = url
    client = create_app({"TESTING": True}).test_client()
    secret = identity_secret()
    rng = random.Random(12)

    def holder(company_id: str, *codes, also=()) -> dict:
        entitlements = {f"{code}@{c}" for code in codes for c in (company_id, *also)}
        identity = Identity(user_id="bench-user", company_id=company_id, language="en",
                            entitlements=frozenset(entitlements))
        return {HEADER: sign(identity, secret, ttl=3600)}

    def any_company() -> str:
        return f"c{rng.randrange(12, companies):06d}"

    def quarter() -> str:
        start = FIRST_DAY + timedelta(days=rng.randrange(0, DAYS - 92))
        return f"issued_from={start.isoformat()}&issued_to={(start + timedelta(days=91)).isoformat()}"

    associates = [f"c{n:06d}" for n in range(2, 12)]
    cases = {
        "invoices and credits, first page": lambda: (
            "/assets/documents?kind=invoice,credit&per_page=50", holder(any_company(), INVOICES)),
        "invoices, one quarter (kind and date)": lambda: (
            f"/assets/documents?kind=invoice&{quarter()}&per_page=50", holder(any_company(), INVOICES)),
        "reports and sheets, one year": lambda: (
            "/assets/documents?kind=intervention_report,attendance_sheet&issued_from=2024-01-01"
            "&issued_to=2024-12-31&per_page=50", holder(any_company(), REPORTS)),
        "invoices, amount range": lambda: (
            "/assets/documents?kind=invoice&amount_min=1000&amount_max=3000&per_page=50",
            holder(any_company(), INVOICES)),
        "every kind, number prefix": lambda: (
            "/assets/documents?number=N-1&per_page=50", holder(any_company(), INVOICES, REPORTS)),
        "supervisor of 10 associates, invoices, one quarter": lambda: (
            f"/assets/documents?kind=invoice,credit&{quarter()}&per_page=50",
            holder("c000001", INVOICES, also=associates)),
    }
    # The fixed cost of a request through this stack on this machine now, to read the others against.
    cases = {"baseline: GET /health (no database)": lambda: ("/health", holder(any_company(), INVOICES)), **cases}
    results = {}
    for label, make in cases.items():
        for _ in range(20):  # warm the pools and caches
            path, headers = make()
            client.get(path, headers=headers)
        durations, empty = [], 0
        for _ in range(requests):
            path, headers = make()
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            durations.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{label}: {path} answered {response.status_code} {response.get_data(as_text=True)}")
            empty += not (response.get_json() or {}).get("items", [None])
        durations.sort()
        results[label] = {"p50": statistics.median(durations), "p95": durations[int(len(durations) * 0.95) - 1],
                          "p99": durations[int(len(durations) * 0.99) - 1], "empty": empty}
        print(f"  {label:<52} p50 {results[label]['p50']:6.1f} ms   p95 {results[label]['p95']:6.1f} ms"
              f"   p99 {results[label]['p99']:6.1f} ms   ({empty} empty pages)", flush=True)
    return results


def explain(url: str) -> None:
    """Print the plan of one company's invoices of a quarter: what the index does for it."""
    engine = create_engine(url)
    sql = ("SELECT * FROM documents WHERE kind IN ('invoice', 'credit') AND company_id IN ('c012345')"
           " AND issued_on BETWEEN '2024-01-01' AND '2024-03-31' ORDER BY issued_on DESC, id DESC LIMIT 50")
    with engine.connect() as connection:
        for (line,) in connection.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")):
            print("   ", line)
    engine.dispose()


def drop(url: str) -> None:
    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    engine.dispose()


def main(argv: list[str] | None = None) -> bool:
    args = parse(argv)
    os.environ.setdefault("PORTAL_VAR_DIR", tempfile.mkdtemp(prefix="documents-bench-"))
    drop(args.url)
    try:
        print(f"Filling {make_url(args.url).database}: {args.documents:,} documents in {args.companies:,} companies…")
        started = time.perf_counter()
        fill(args.url, args.documents, args.companies)
        print(f"  filled in {time.perf_counter() - started:.0f} s")
        print(f"Measuring ({args.requests} requests each, through the test client):")
        results = measure(args.url, args.requests, args.companies)
        print("Plan of one company's invoices and credits of a quarter:")
        explain(args.url)
    finally:
        if not args.keep:
            drop(args.url)
            print("Database dropped.")
    baseline = results.pop("baseline: GET /health (no database)")
    worst = max(r["p95"] for r in results.values())
    print(f"worst p95: {worst:.1f} ms (target <= 100 ms); worst p50 / baseline p50: "
          f"{max(r['p50'] for r in results.values()) / baseline['p50']:.1f}")
    return worst <= 100


if __name__ == "__main__":
    sys.exit(0 if main() else 1)

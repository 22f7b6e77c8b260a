"""Benchmark of the support request lists on PostgreSQL at 1,000,000 requests in 100,000 companies.

Fills a scratch database in a few SQL statements (generate_series, secondary indexes built after
the load): the companies (c000001 with 100 associates below it: c000002…c000101), one company of
10,000 requests (c000000), the others sharing the rest, three requesters per company, a follower on
one request in five, statuses and subjects spread over a few words, two requests in three assigned
to one of ten operators, the clocks' dues spread a day either side of the fill (half of the open
ones late). Then times ``GET /support/requests`` through the app's test client (the full stack but
the network), pages of 50, for the three scopes with a status filter and a search word; and the
operators' queue ``GET /operator/support/requests`` (pages of 20, as the back office asks:
unfiltered, by status, late, unassigned, mine) and its weekly counts ``GET /operator/support/stats``.

    .venv/bin/python benchmarks/support_lists.py                    # creates, measures, drops
    .venv/bin/python benchmarks/support_lists.py --requests 100000  # a smaller size
    .venv/bin/python benchmarks/support_lists.py --keep             # keeps the database
    .venv/bin/python benchmarks/support_lists.py --reuse --keep     # measures the kept one again

Target: p95 <= 100 ms for every case.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/support_bench"
BIG = "c000000"
BIG_REQUESTS = 10_000
SUPERVISED = 100  # associates of c000001
WORDS = ("printer", "payslip", "invoice", "licence", "update", "export", "login", "backup")
STATUSES = ("new", "in_progress", "waiting_for_customer", "resolved", "closed", "reopened")
OWN, ADMIN, SUPERVISION = "request-service", "request-service-administration", "request-service-supervision"
OPERATORS = 10  # op0…op9, the assignees


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=1_000_000, dest="rows")
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200, help="timed calls per case")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="measure a database kept by --keep, without filling it")
    return parser.parse_args(argv)


def company(n: str) -> str:
    return f"'c' || lpad(({n})::text, 6, '0')"


def fill(url: str, rows: int, companies: int) -> None:
    from portalkit.db import Database
    from portalkit.migrations import upgrade
    upgrade("support", url=url)
    database = Database(url)
    owner = f"CASE WHEN r <= {BIG_REQUESTS} THEN '{BIG}' ELSE {company(f'1 + r % {companies - 1}')} END"
    words = "ARRAY[" + ", ".join(f"'{word}'" for word in WORDS) + "]"
    statuses = "ARRAY[" + ", ".join(f"'{status}'" for status in STATUSES) + "]"
    with database.engine.begin() as connection:
        run = _timed(connection)
        run("companies", f"""
            INSERT INTO companies (id, number, name, parent_id)
            SELECT {company('n')}, n::text, 'Company ' || n,
                   CASE WHEN n BETWEEN 2 AND {SUPERVISED + 1} THEN 'c000001' END
            FROM generate_series(0, {companies - 1}) n""")
        run("members", f"""
            INSERT INTO members (user_id, company_id, email, first_name, last_name, language, activated_at)
            SELECT 'u' || substr({company('n')}, 2) || '-' || k, {company('n')},
                   'u' || n || '-' || k || '@bench.test', 'First' || k, 'Last' || n, 'en', now()
            FROM generate_series(0, {companies - 1}) n, generate_series(0, 2) k""")
        indexes = connection.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('support_requests', 'request_followers')"
            " AND indexname NOT LIKE 'pk_%' AND indexname NOT LIKE 'uq_%'")).all()
        for name, _ in indexes:
            connection.execute(text(f'DROP INDEX "{name}"'))  # built once after the load: much faster
        run("requests", f"""
            INSERT INTO support_requests (id, number, company_id, requester_id, product_id, subject, description,
                severity, contact_phone, status, assignee_id, created_at, updated_at, status_changed_at,
                first_response_due, first_response_risk_at, resolution_due, resolution_risk_at, first_response_at,
                paused_at)
            SELECT md5('r' || r), 'SR-2026-' || lpad(r::text, 7, '0'), o.company_id,
                   'u' || substr(o.company_id, 2) || '-' || ((r / {companies}) % 3), NULL,
                   initcap(({words})[1 + r % {len(WORDS)}]) || ' problem number ' || r,
                   'Description of request ' || r, (ARRAY['blocking','major','minor','question'])[1 + r % 4], '',
                   ({statuses})[1 + (r / 7) % {len(STATUSES)}],
                   CASE WHEN r % 3 = 0 THEN NULL ELSE 'op' || (r % {OPERATORS}) END,
                   now() - (r % 700) * interval '1 hour', now() - (r % 500) * interval '1 minute',
                   now(), d.due, d.due - interval '2 hours', d.due + interval '3 days', d.due + interval '2 days',
                   CASE WHEN (r / 7) % {len(STATUSES)} = 0 THEN NULL ELSE now() END,
                   CASE WHEN (r / 7) % {len(STATUSES)} = 2 THEN now() END
            FROM generate_series(1, {rows}) r, LATERAL (SELECT {owner} AS company_id) o,
                 LATERAL (SELECT now() + ((r % 48) - 24) * interval '1 hour' AS due) d""")
        run("weekly counts", """
            INSERT INTO weekly_counts (week, opened, resolved)
            SELECT date_trunc('week', created_at AT TIME ZONE 'UTC')::date, count(*),
                   count(*) FILTER (WHERE status IN ('resolved', 'closed'))
            FROM support_requests GROUP BY 1""")
        run("followers", """
            INSERT INTO request_followers (request_id, user_id)
            SELECT id, 'u' || substr(company_id, 2) || '-' || ((substr(requester_id, length(requester_id))::int + 1) % 3)
            FROM support_requests WHERE ('x' || substr(id, 1, 8))::bit(32)::int % 5 = 0""")
        for name, definition in indexes:
            run(f"index {name}", definition)
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        _timed(connection)("analyze", "VACUUM ANALYZE")
        _timed(connection)("checkpoint", "CHECKPOINT")
    database.engine.dispose()


def _timed(connection):
    def run(label: str, sql: str) -> None:
        started = time.perf_counter()
        connection.execute(text(sql))
        print(f"  {label:<48} {time.perf_counter() - started:7.1f} s", flush=True)
    return run


def measure(url: str, samples: int, companies: int) -> dict[str, dict]:
    from portalkit.settings import identity_secret
    from portalkit.signed_identity import HEADER, Identity, sign

    from support.app import create_app
    os.environ["PORTAL_SUPPORT_DATABASE_URL"] = url
    client = create_app({"TESTING": True}).test_client()
    secret = identity_secret()
    rng = random.Random(14)

    def caller(company_id: str, user: int, *rights: str) -> dict:
        held = frozenset(right if "@" in right else f"{right}@{company_id}" for right in rights)
        identity = Identity(user_id=f"u{company_id[1:]}-{user}", company_id=company_id, entitlements=held)
        return {HEADER: sign(identity, secret, ttl=3600)}

    def any_company() -> str:
        return f"c{rng.randrange(SUPERVISED + 2, companies):06d}"

    def word() -> str:
        return rng.choice(WORDS)

    def status() -> str:
        return rng.choice(STATUSES)

    supervisor = caller("c000001", 0, OWN, f"{SUPERVISION}@c000001")
    cases = {
        "own, any company": lambda: ("/support/requests", caller(any_company(), rng.randrange(3), OWN)),
        "own, any company, status + word": lambda: (
            f"/support/requests?status={status()}&q={word()}", caller(any_company(), rng.randrange(3), OWN)),
        "own, in the 10,000-request company, status + word": lambda: (
            f"/support/requests?status={status()}&q={word()}", caller(BIG, rng.randrange(3), OWN)),
        "company, 10,000 requests, a page": lambda: (
            f"/support/requests?scope=company&page={rng.randint(1, 20)}", caller(BIG, 0, OWN, ADMIN)),
        "company, 10,000 requests, status + word": lambda: (
            f"/support/requests?scope=company&status={status()}&q={word()}", caller(BIG, 0, OWN, ADMIN)),
        "supervised, 100 associates, a page": lambda: ("/support/requests?scope=supervised", supervisor),
        "supervised, 100 associates, status + word": lambda: (
            f"/support/requests?scope=supervised&status={status()}&q={word()}", supervisor),
    }
    operator = {HEADER: sign(Identity(user_id="op1", operator=True), secret, ttl=3600)}
    queue = "/operator/support/requests?per_page=20"
    cases.update({
        "queue, unfiltered, first page": lambda: (queue, operator),
        "queue, by status": lambda: (f"{queue}&status={status()}", operator),
        "queue, late": lambda: (f"{queue}&clock=breached", operator),
        "queue, due soon": lambda: (f"{queue}&clock=at_risk", operator),
        "queue, paused": lambda: (f"{queue}&clock=paused", operator),
        "queue, by severity": lambda: (f"{queue}&severity={rng.choice(('blocking', 'major', 'minor', 'question'))}",
                                       operator),
        "queue, unassigned": lambda: (f"{queue}&assignee=none", operator),
        "queue, mine, late": lambda: (f"{queue}&assignee=me&clock=breached", operator),
        "queue, one company": lambda: (f"{queue}&company_id={any_company()}", operator),
        "weekly counts, 12 weeks": lambda: ("/operator/support/stats?weeks=12", operator),
    })
    results = {}
    for label, make in cases.items():
        for _ in range(20):
            path, headers = make()
            client.get(path, headers=headers)
        durations, empty = [], 0
        for _ in range(samples):
            path, headers = make()
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            durations.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{label}: {path} answered {response.status_code} {response.get_data(as_text=True)}")
            empty += not (response.get_json().get("items") or response.get_json().get("weeks"))
        durations.sort()
        results[label] = {"p50": statistics.median(durations), "p95": durations[int(len(durations) * 0.95) - 1],
                          "p99": durations[int(len(durations) * 0.99) - 1], "empty": empty}
        print(f"  {label:<52} p50 {results[label]['p50']:6.1f} ms   p95 {results[label]['p95']:6.1f} ms"
              f"   p99 {results[label]['p99']:6.1f} ms   ({empty} empty pages)", flush=True)
    return results


def drop(url: str) -> None:
    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    engine.dispose()


def main(argv: list[str] | None = None) -> bool:
    args = parse(argv)
    os.environ.setdefault("PORTAL_VAR_DIR", tempfile.mkdtemp(prefix="support-bench-"))
    if not args.reuse:
        drop(args.url)
    try:
        if not args.reuse:
            print(f"Filling {make_url(args.url).database}: {args.rows:,} requests in {args.companies:,} companies…")
            started = time.perf_counter()
            fill(args.url, args.rows, args.companies)
            print(f"  filled in {time.perf_counter() - started:.0f} s")
        print(f"Measuring ({args.samples} requests each, through the test client):")
        results = measure(args.url, args.samples, args.companies)
    finally:
        if not args.keep:
            drop(args.url)
            print("Database dropped.")
    worst = max(r["p95"] for r in results.values())
    print(f"worst p95: {worst:.1f} ms (target <= 100 ms)")
    return worst <= 100


if __name__ == "__main__":
    sys.exit(0 if main() else 1)

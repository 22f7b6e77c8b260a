"""Benchmark of the catalog's listings on PostgreSQL at 100,000 users and 5,000,000 subscriptions.

Fills a scratch database in a few SQL statements (generate_series, indexes built after the load),
then times the routes through the app's test client, the full stack but the network:
``GET /catalog/company-catalog`` (the administrators' listing with holder counts, pages of 10),
``GET /catalog/services`` (a user's offer) and ``GET /catalog/requests`` (the validation queue).

    .venv/bin/python benchmarks/catalog_listing.py            # creates, measures, drops
    .venv/bin/python benchmarks/catalog_listing.py --compare  # and again without the
                                                                   # holders index, to see it matter
The database (``--url``, default ``catalog_bench`` on the local server) is dropped at the end
unless ``--keep``; target: p95 of the company catalog <= 100 ms.
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

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/catalog_bench"
BIG = "c0000"  # one company of 10,000 users; the others share the rest
BIG_USERS = 10_000
PER_PAGE = 10  # the manual's pages


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--subscriptions", type=int, default=5_000_000)
    parser.add_argument("--companies", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--compare", action="store_true", help="measure again without ix_subscriptions_holders")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args(argv)


def fill(url: str, users: int, subscriptions: int, companies: int) -> dict:
    """Migrate, seed the 61 services, then load companies, members, contracts and subscriptions."""
    from portalkit.db import Database
    from portalkit.migrations import upgrade

    from catalog.seed import read_catalog, seed
    upgrade("catalog", url=url)
    database = Database(url)
    with database.transaction() as session:
        seed(session, read_catalog())
        # The manual counts 61 services: the rest are per product, the operators' to add.
        for n in range(1, 62 - 28):
            session.execute(text(
                "INSERT INTO services (id, code, family, title_en, title_fr, description_en, description_fr,"
                " needs_validation, auto_subscribe, min_security_level, needs_contract, created_at)"
                " VALUES (md5(:code), :code, 'Product information', :title, '', :description, '',"
                " false, false, 1, false, now())"),
                {"code": f"product-information-product-{n}", "title": f"Product information: product {n}",
                 "description": f"News and documents about product {n}."})
    per_user = subscriptions // users
    timings = {}
    with database.engine.begin() as connection:
        run = _timed(connection, timings)
        company_of = (f"CASE WHEN u <= {BIG_USERS} THEN '{BIG}' "
                      f"ELSE 'c' || lpad((1 + u % {companies - 1})::text, 4, '0') END")
        run("companies", f"INSERT INTO companies (id, number, name) SELECT 'c' || lpad(n::text, 4, '0'), n::text,"
                         f" 'Company ' || n FROM generate_series(0, {companies - 1}) n")
        run("contracts", "INSERT INTO contracts (id, company_id, starts_on) SELECT 'k-' || id, id, DATE '2020-01-01'"
                         " FROM companies")
        run("members", f"INSERT INTO members (user_id, company_id, email, first_name, last_name, language,"
                       f" security_level) SELECT 'u' || u, {company_of}, 'u' || u || '@example.com', 'First',"
                       f" 'User ' || u, 'en', 1 + u % 3 FROM generate_series(1, {users}) u")
        indexes = connection.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'subscriptions'"
            " AND indexname <> 'pk_subscriptions'")).all()
        for name, _ in indexes:
            connection.execute(text(f'DROP INDEX "{name}"'))  # built once after the load: much faster
        # Each user holds ``per_user`` distinct services; 1 in 20 of each kind of ended or waiting one.
        run("subscriptions", f"""
            WITH s AS (SELECT array_agg(id ORDER BY code) AS ids FROM services
                       WHERE code <> 'user-management-supervision-administration')
            INSERT INTO subscriptions (id, service_id, user_id, company_id, scope_company_id, status,
                                       requested_at, decided_at, expires_on)
            SELECT md5(u || '-' || k), s.ids[1 + (u + k) % cardinality(s.ids)], 'u' || u, {company_of},
                   {company_of}, (ARRAY['pending', 'refused', 'cancelled', 'expired'])[1 + (u + k) % 4],
                   now() - (u % 700) * interval '1 day', now(), NULL
            FROM generate_series(1, {users}) u, generate_series(1, {per_user}) k, s
            WHERE (u * 7 + k) % 20 = 0""")
        run("subscriptions ", f"""
            WITH s AS (SELECT array_agg(id ORDER BY code) AS ids FROM services
                       WHERE code <> 'user-management-supervision-administration')
            INSERT INTO subscriptions (id, service_id, user_id, company_id, scope_company_id, status,
                                       requested_at, decided_at, expires_on)
            SELECT md5(u || '-' || k), s.ids[1 + (u + k) % cardinality(s.ids)], 'u' || u, {company_of},
                   {company_of}, 'accepted', now() - (u % 700) * interval '1 day', now(),
                   CASE WHEN (u + k) % 10 = 0 THEN DATE '2030-01-01' + (u % 365) END
            FROM generate_series(1, {users}) u, generate_series(1, {per_user}) k, s
            WHERE (u * 7 + k) % 20 <> 0""")
        for name, definition in indexes:
            run(f"index {name}", definition)
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        _timed(connection, timings)("analyze", "VACUUM ANALYZE")
        _timed(connection, timings)("checkpoint", "CHECKPOINT")  # so that the load's writes do not
        # land in the middle of the measures
    database.engine.dispose()
    return timings


def _timed(connection, timings: dict):
    def run(label: str, sql: str) -> None:
        started = time.perf_counter()
        connection.execute(text(sql))
        timings[label.strip()] = timings.get(label.strip(), 0) + time.perf_counter() - started
        print(f"  {label.strip():<40} {time.perf_counter() - started:7.1f} s", flush=True)
    return run


def measure(url: str, requests: int, companies: int, users: int) -> dict[str, dict]:
    """Time each listing through the app's test client; answers must be 200."""
    from portalkit.settings import identity_secret
    from portalkit.signed_identity import HEADER, Identity, sign

    from catalog.app import create_app
    os.environ["PORTAL_CATALOG_DATABASE_URL"] = url
    client = create_app({"TESTING": True}).test_client()
    secret = identity_secret()
    rng = random.Random(4)

    def administrator(company: str) -> dict:
        identity = Identity(user_id="bench-admin", company_id=company,
                            entitlements=frozenset({f"user-management-administration@{company}"}))
        return {HEADER: sign(identity, secret, ttl=3600)}

    def any_company() -> str:
        return f"c{rng.randrange(0, companies):04d}"

    def user_of_big() -> str:
        return f"u{rng.randint(1, BIG_USERS)}"

    cases = {
        "company catalog, any company": lambda: (
            f"/catalog/company-catalog?per_page={PER_PAGE}&page={rng.randint(1, 6)}", administrator(any_company())),
        "company catalog, the 10,000-user company": lambda: (
            f"/catalog/company-catalog?per_page={PER_PAGE}&page={rng.randint(1, 6)}", administrator(BIG)),
        "company catalog, a picked user (10,000-user company)": lambda: (
            f"/catalog/company-catalog?per_page={PER_PAGE}&user_id={user_of_big()}", administrator(BIG)),
        "company catalog, words filter (10,000-user company)": lambda: (
            f"/catalog/company-catalog?per_page={PER_PAGE}&q=product news", administrator(BIG)),
        "a user's offer": lambda: (f"/catalog/services?per_page={PER_PAGE}", {
            HEADER: sign(Identity(user_id=f"u{rng.randint(BIG_USERS + 1, users)}", company_id="c0001"), secret)}),
        "requests queue (10,000-user company)": lambda: ("/catalog/requests?per_page=10", administrator(BIG)),
    }
    results = {}
    for label, make in cases.items():
        for _ in range(20):  # warm the pools and caches
            path, headers = make()
            client.get(path, headers=headers)
        durations = []
        for _ in range(requests):
            path, headers = make()
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            durations.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{label}: {path} answered {response.status_code} {response.get_data(as_text=True)}")
        durations.sort()
        results[label] = {"p50": statistics.median(durations), "p95": durations[int(len(durations) * 0.95) - 1],
                          "p99": durations[int(len(durations) * 0.99) - 1]}
        print(f"  {label:<55} p50 {results[label]['p50']:6.1f} ms   p95 {results[label]['p95']:6.1f} ms"
              f"   p99 {results[label]['p99']:6.1f} ms", flush=True)
    return results


def drop(url: str) -> None:
    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    engine.dispose()


def main(argv: list[str] | None = None) -> bool:
    args = parse(argv)
    os.environ.setdefault("PORTAL_VAR_DIR", tempfile.mkdtemp(prefix="catalog-bench-"))
    drop(args.url)
    try:
        print(f"Filling {make_url(args.url).database}: {args.users:,} users, {args.subscriptions:,} subscriptions…")
        started = time.perf_counter()
        fill(args.url, args.users, args.subscriptions, args.companies)
        print(f"  filled in {time.perf_counter() - started:.0f} s")
        print(f"Measuring ({args.requests} requests each, through the test client):")
        results = measure(args.url, args.requests, args.companies, args.users)
        if args.compare:
            engine = create_engine(args.url)
            with engine.begin() as connection:
                connection.execute(text("DROP INDEX ix_subscriptions_holders"))
            engine.dispose()
            print("Without ix_subscriptions_holders:")
            measure(args.url, args.requests, args.companies, args.users)
    finally:
        if not args.keep:
            drop(args.url)
            print("Database dropped.")
    target = results["company catalog, any company"]["p95"]
    print(f"company catalog p95: {target:.1f} ms (target <= 100 ms)")
    return max(r["p95"] for label, r in results.items() if label.startswith("company")) <= 100


if __name__ == "__main__":
    sys.exit(0 if main() else 1)

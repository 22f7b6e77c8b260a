"""Benchmark of a reader's news list (``GET /knowledge/news``) at 100,000 items, on SQLite and PostgreSQL.

Fills a scratch knowledge database: 300 products, 2,000 companies holding 10 products each, and the
items — 3 in 10 generic, 5 in 10 targeted at one or two products, 2 in 10 at one of 9 functional
domains — over two years, 1 in 20 retired. Then times the list through the app's test client (the
full service stack but the network): the first page of 50 for a holder of 10 products with two
functional preferences (a third of the items reach them), the same filtered by kind, a later page, and a
user of a company holding nothing who never visited. In the same run the list's SQL statements
(its capped total, its capped new count, its page) run straight on the engine: the ratio service/engine is what our code adds.

    .venv/bin/python benchmarks/news_list.py [--items 100000] [--requests 200] [--engines sqlite,postgresql]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import save  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/news_bench"
PRODUCTS, COMPANIES, HELD = 300, 2_000, 10
DOMAINS = ("Accounting", "Payroll", "Tax", "Human resources", "Office and System", "Retail", "Legal",
           "Treasury", "Fixed assets")
KINDS = ("general", "product", "event", "legal", "partner", "help")


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=PG_URL)
    return parser.parse_args(argv)


def fill(url: str, items: int) -> float:
    """Migrate and load; returns the seconds it took."""
    from portalkit.db import Database
    from portalkit.entitlements import functional_preference
    from portalkit.migrations import upgrade

    from knowledge.models import Holding, NewsDomain, NewsItem, NewsProduct, NewsVisit, Product
    started = time.perf_counter()
    upgrade("knowledge", url=url)
    database = Database(url)
    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    with database.engine.begin() as connection:
        connection.execute(insert(Product), [
            {"id": f"p{p}", "code": f"P-{p:04d}", "name_en": f"Product {p}", "name_fr": f"Produit {p}",
             "kind": "software", "brand": f"Brand {p % 12}", "domain": DOMAINS[p % 9], "serializable": False,
             "retired": False} for p in range(PRODUCTS)])
        connection.execute(insert(Holding), [
            {"id": f"h{c}-{k}", "company_id": f"c{c}", "product_id": f"p{(c * 7 + k * 31) % PRODUCTS}",
             "quantity": 1, "removed": False} for c in range(1, COMPANIES) for k in range(HELD)])
        rows, products, domains = [], [], []
        for n in range(items):
            roll = rng.random()
            targeted = roll >= 0.3
            news_id = f"{n:032x}"
            rows.append({"id": news_id, "kind": KINDS[n % 6], "title_en": f"News {n} about things",
                         "body_en": f"The body of item {n}, a few **words** long.", "excerpt_en": f"The body of item {n}, a few words long.", "title_fr": f"Actualité {n}", "excerpt_fr": f"Le texte de l’actualité {n}.",
                         "body_fr": f"Le texte de l'actualité {n}.", "targeted": targeted,
                         "published_at": now - timedelta(minutes=10 * (items - n)), "published_by": "op",
                         "retired_at": now if n % 20 == 0 else None})
            if 0.3 <= roll < 0.8:
                for p in {rng.randrange(PRODUCTS) for _ in range(rng.choice((1, 2)))}:
                    products.append({"news_id": news_id, "product_code": f"P-{p:04d}"})
            elif roll >= 0.8:
                domain = DOMAINS[rng.randrange(9)]
                domains.append({"news_id": news_id, "preference": functional_preference(domain), "domain": domain})
        for chunk in range(0, len(rows), 10_000):
            connection.execute(insert(NewsItem), rows[chunk:chunk + 10_000])
        connection.execute(insert(NewsProduct), products)
        connection.execute(insert(NewsDomain), domains)
        connection.execute(insert(NewsVisit), [{"user_id": "reader", "visited_at": now - timedelta(days=30)}])
    if url.startswith("postgresql"):
        with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with database.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    database.engine.dispose()
    return time.perf_counter() - started


def readers():
    from portalkit.entitlements import functional_preference
    preferences = frozenset(f"{functional_preference(domain)}@c1" for domain in ("Accounting", "Payroll"))
    from portalkit.signed_identity import Identity
    return {"holder": Identity(user_id="reader", company_id="c1", entitlements=preferences),
            "nothing held, never visited": Identity(user_id="newcomer", company_id="c0")}


def measure(url: str, requests: int) -> dict:
    from portalkit.settings import identity_secret
    from portalkit.signed_identity import HEADER, sign

    from knowledge import news
    from knowledge.app import create_app
    os.environ["PORTAL_KNOWLEDGE_DATABASE_URL"] = url
    client = create_app({"TESTING": True}).test_client()
    secret = identity_secret()
    people = readers()
    headers = {name: {HEADER: sign(identity, secret, ttl=3600)} for name, identity in people.items()}
    rng = random.Random(3)
    cases = {
        "holder, first page of 50": ("holder", lambda: {}),
        "holder, one kind": ("holder", lambda: {"kind": rng.choice(KINDS)}),
        "holder, a later page": ("holder", lambda: {"page": rng.randint(2, 40)}),
        "nothing held, never visited": ("nothing held, never visited", lambda: {}),
    }
    engine = create_engine(url)
    results = {}
    for label, (who, query) in cases.items():
        service, raw, total = [], [], 0
        for round_ in range(requests + 20):  # 20 to warm the pools and caches
            params = {"per_page": 50, **query()}
            started = time.perf_counter()
            answer = client.get("/knowledge/news", query_string=params, headers=headers[who])
            elapsed = (time.perf_counter() - started) * 1000
            if answer.status_code != 200:
                sys.exit(f"{label}: {answer.status_code} {answer.get_data(as_text=True)}")
            total = answer.get_json()["total"]
            statements = _statements(engine, news, people[who], {"page": 1, "per_page": 50, **params})
            started = time.perf_counter()
            with engine.connect() as connection:
                for statement in statements:
                    connection.execute(statement).all()
            raw_elapsed = (time.perf_counter() - started) * 1000
            if round_ >= 20:
                service.append(elapsed)
                raw.append(raw_elapsed)
        results[label] = {"service": _percentiles(service), "engine": _percentiles(raw), "total": total,
                          "ratio_p50": statistics.median(service) / statistics.median(raw)}
        s, r = results[label]["service"], results[label]["engine"]
        print(f"  {label:<30} service p50/p95/p99 {s['p50']:6.1f}/{s['p95']:6.1f}/{s['p99']:6.1f} ms   "
              f"engine {r['p50']:6.1f}/{r['p95']:6.1f}/{r['p99']:6.1f} ms   ratio p50 {results[label]['ratio_p50']:.2f}"
              f"   ({total:,} items reach)", flush=True)
    engine.dispose()
    return results


def _statements(engine, news, identity, query):
    """The list's SQL as ``list_for_reader`` builds it (its capped total, its capped new count and its
    page), the reader's products and last visit read once beforehand."""
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        products = news.reader_products(session, identity)
        visited = news.last_visit(session, identity.user_id)
    query = {**query, "page": int(query["page"]), "per_page": int(query["per_page"])}
    return list(news.reader_statements(products, news.reader_preferences(identity), visited, query).values())


def _percentiles(samples):
    ordered = sorted(samples)
    return {"p50": statistics.median(ordered), "p95": ordered[int(len(ordered) * 0.95) - 1],
            "p99": ordered[int(len(ordered) * 0.99) - 1]}


def drop(url: str) -> None:
    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    engine.dispose()


def main(argv: list[str] | None = None) -> bool:
    args = parse(argv)
    os.environ.setdefault("PORTAL_VAR_DIR", tempfile.mkdtemp(prefix="news-bench-"))
    report = {"items": args.items, "requests": args.requests}
    for engine_name in args.engines.split(","):
        if engine_name == "sqlite":
            url = f"sqlite:///{os.environ['PORTAL_VAR_DIR']}/news-bench.db"
        else:
            url = args.pg_url
            drop(url)
        print(f"{engine_name}: filling {args.items:,} items…", flush=True)
        seconds = fill(url, args.items)
        print(f"  filled in {seconds:.0f} s; measuring ({args.requests} requests a case, through the test client):")
        report[engine_name] = measure(url, args.requests)
        if engine_name != "sqlite":
            engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
            engine.dispose()
    save("news_list", report)
    worst = max(case["service"]["p95"] for name in args.engines.split(",") for case in report[name].values())
    print(f"worst p95: {worst:.1f} ms (target <= 100 ms)")
    return worst <= 100


if __name__ == "__main__":
    sys.exit(0 if main() else 1)

"""identity's benchmarks on a scratch PostgreSQL database (created, then dropped):

    python benchmarks/identity_users.py [list] [import] [--keep]

list    1,000,000 users in 100,000 companies (one of 50,000 users, the rest ~9.5 each, in trees of
        100), filled with INSERT ... SELECT generate_series; then the users list through the Flask
        app, search and filters, p95 per case (target <= 100 ms).
import  a 10,000-line CSV uploaded through the app and run by a real ``python -m identity.worker``
        process, from the upload to the report saying done (target <= 5 s).

PORTAL_BENCH_POSTGRES (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres) names the
server. Figures go to stdout as JSON.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

SERVER = os.environ.get("PORTAL_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
ADMINISTRATION = "user-management-administration"
SUPERVISION = "user-management-supervision-administration"
BIG = "c0000000"  # the company of 50,000 users
FIRST = ["Alice", "Bruno", "Chloé", "David", "Emma", "François", "Gabriel", "Hélène", "Inès", "Jules", "Karim",
         "Léa", "Marc", "Nina", "Olivier", "Paul", "Quentin", "Rose", "Sacha", "Théo"]
SYLLABLES = ["Mar", "Ber", "Du", "Le", "Pe", "Ro", "Gar", "Fon", "Mo", "Va", "Bon", "Gi", "Lam", "Fa", "Che",
             "Bla", "Mer", "Cour", "Lau", "Ri"]
ENDINGS = ["tin", "nard", "rand", "roy", "tit", "bert", "nier", "taine", "reau", "lette", "net", "raud",
           "bert", "vre", "vallier", "nc", "cier", "tois", "rent", "chard"]
FUNCTIONS = ["Buyer", "Accountant", "IT manager", "CFO", "Sales", "Support", "Warehouse", "HR", "Legal", "CEO"]


def _array(values: list[str]) -> str:
    return "(ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "])"


@contextmanager
def scratch_database(keep: bool):
    """A new PostgreSQL database migrated to identity's head; dropped afterwards."""
    name = f"identity_bench_{os.getpid()}"
    url = make_url(SERVER).set(database=name)
    admin = create_engine(make_url(SERVER), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        from portalkit.migrations import upgrade
        upgrade("identity", url=url.render_as_string(hide_password=False))
        yield url.render_as_string(hide_password=False)
    finally:
        if keep:
            print(f"kept {name}", file=sys.stderr)
        else:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def fill(url: str, users: int, companies: int) -> float:
    """Companies in trees of 100 (a root and 99 associates), users with varied names and states."""
    started = time.perf_counter()
    big = min(50_000, users // 2)
    engine = create_engine(url)
    with engine.begin() as db:
        db.execute(text("""
            INSERT INTO companies (id, number, name, postcode, city, parent_id, created_at)
            SELECT 'c' || lpad(i::text, 7, '0'), 'N' || i, 'Company ' || i, '75002', 'Paris',
                   CASE WHEN i % 100 = 0 THEN NULL ELSE 'c' || lpad((i - i % 100)::text, 7, '0') END, now()
            FROM generate_series(0, :n - 1) AS i ORDER BY i % 100 <> 0, i"""), {"n": companies})
        db.execute(text(f"""
            INSERT INTO users (id, company_id, email, title, first_name, last_name, language, function,
                               office_phone, mobile_phone, security_level, password_renewal_required,
                               activated_at, is_operator, designated_administrator, failed_sign_ins, created_at)
            SELECT 'u' || lpad(i::text, 8, '0'),
                   CASE WHEN i < :big THEN '{BIG}' ELSE 'c' || lpad((1 + i % (:companies - 1))::text, 7, '0') END,
                   CASE WHEN i % 20 = 7 THEN NULL
                        ELSE lower(translate(f, 'éèçô', 'ecco')) || '.' || i || '@client' || (i % 997) || '.test' END,
                   (ARRAY['M','MME','MLE'])[1 + i % 3], f, l, (ARRAY['en','fr'])[1 + i % 2],
                   {_array(FUNCTIONS)}[1 + (i / 7) % 10], '', '', 1 + i % 3, false,
                   CASE WHEN i % 5 = 3 THEN NULL ELSE now() - (i || ' seconds')::interval END,
                   false, false, 0, now() - (i || ' seconds')::interval
            FROM (SELECT i, {_array(FIRST)}[1 + i % 20] AS f,
                         {_array(SYLLABLES)}[1 + (i / 20) % 20] || lower({_array(ENDINGS)}[1 + (i / 400) % 20])
                           || CASE WHEN i % 3 = 0 THEN '' ELSE '-' || {_array(SYLLABLES)}[1 + (i / 8000) % 20] END AS l
                  FROM generate_series(0, :users - 1) AS i) AS people"""),
                   {"big": big, "companies": companies, "users": users})
        db.execute(text(f"""INSERT INTO user_groups (id, company_id, name, created_at)
                            SELECT 'g' || g, '{BIG}', 'Group ' || g, now() FROM generate_series(1, 20) AS g"""))
        db.execute(text("""INSERT INTO group_members (group_id, user_id)
                            SELECT 'g' || (1 + (i / 10) % 20), 'u' || lpad(i::text, 8, '0')
                            FROM generate_series(0, :big - 1, 10) AS i"""), {"big": big})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
        db.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started


def _app(url: str, var_dir: str):
    os.environ.update(PORTAL_IDENTITY_DATABASE_URL=url, PORTAL_VAR_DIR=var_dir, PORTAL_BROKER_URL="filesystem://")
    from identity.app import create_app
    return create_app()


def _headers(company_id: str, *rights: str, user_id: str = "bench-admin") -> dict:
    from portalkit import signed_identity as si
    from portalkit.settings import identity_secret
    identity = si.Identity(user_id=user_id, company_id=company_id, session_id="bench",
                           entitlements=frozenset(f"{code}@{company_id}" for code in rights))
    return {si.HEADER: si.sign(identity, identity_secret(), ttl=3600)}


def _p95(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"n": len(ordered), "p50_ms": round(ordered[len(ordered) // 2] * 1000, 1),
            "p95_ms": round(ordered[int(0.95 * len(ordered))] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


def bench_list(keep: bool, users: int = 1_000_000, companies: int = 100_000, rounds: int = 100) -> dict:
    with scratch_database(keep) as url, tempfile.TemporaryDirectory() as var_dir:
        fill_seconds = fill(url, users, companies)
        client = _app(url, var_dir).test_client()
        small = "c0012345"
        admin_big, admin_small = _headers(BIG, ADMINISTRATION), _headers(small, ADMINISTRATION)
        supervisor = _headers(BIG, SUPERVISION)  # the 99 associates of the big company, ~940 users
        words = [s.lower() for s in SYLLABLES] + ["alice", "bruno", "theo", "nard", "taine"]
        cases = {
            "small company, first page": (admin_small, lambda i: ""),
            "small company, search": (admin_small, lambda i: f"q={words[i % len(words)]}"),
            "50,000-user company, first page": (admin_big, lambda i: ""),
            "50,000-user company, page 200": (admin_big, lambda i: "page=200"),
            "50,000-user company, search a name": (admin_big, lambda i: f"q={words[i % len(words)]}"),
            "50,000-user company, search two words": (admin_big, lambda i: f"q={FIRST[i % 20].lower()[:4]}+"
                                                                           f"{words[i % 20]}"),
            "50,000-user company, search an address": (admin_big, lambda i: f"q={1000 + 37 * i}%40client"),
            "50,000-user company, status + function": (admin_big, lambda i: f"status=not_activated&"
                                                                            f"function={FUNCTIONS[i % 10]}"),
            "50,000-user company, group": (admin_big, lambda i: f"group=g{1 + i % 20}"),
            "50,000-user company, search + status + group": (admin_big, lambda i: f"q={words[i % 20]}&status=active"
                                                                                  f"&group=g{1 + i % 20}"),
            "supervisor of 99 associates, search": (supervisor, lambda i: f"q={words[i % len(words)]}"),
        }
        results = {}
        for name, (headers, query) in cases.items():
            client.get(f"/identity/users?{query(0)}", headers=headers)  # warm the plan and the cache
            samples = []
            for i in range(rounds):
                started = time.perf_counter()
                response = client.get(f"/identity/users?{query(i)}", headers=headers)
                samples.append(time.perf_counter() - started)
                assert response.status_code == 200, response.json
            results[name] = {**_p95(samples), "total_of_last": response.json["total"]}
        return {"users": users, "companies": companies, "fill_seconds": round(fill_seconds, 1),
                "target_p95_ms": 100, "cases": results,
                "worst_p95_ms": max(case["p95_ms"] for case in results.values())}


def bench_import(keep: bool, lines: int = 10_000) -> dict:
    with scratch_database(keep) as url, tempfile.TemporaryDirectory() as var_dir:
        app = _app(url, var_dir)
        from identity.companies import register_company
        from identity.settings import IdentitySettings
        from portalkit.signed_identity import Identity
        with app.extensions["portal.database"].sessions() as session:
            company, admin, _token = register_company(session, IdentitySettings.load(), Identity(), {
                "number": "BENCH", "name": "Bench", "administrator": {"email": "admin@bench.test"}})
            company_id, admin_id = company.id, admin.id
        headers = _headers(company_id, ADMINISTRATION, user_id=admin_id)
        csv_text = "".join(f"MME;Dupont{i};Lovana;user{i}@import.test;+33 1 23 45 67 89;;fr-FR;{1 + i % 3}\n"
                           for i in range(lines)).encode("cp1252")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        worker = subprocess.Popen([sys.executable, "-m", "identity.worker"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            time.sleep(3)  # the worker is up and idle, as in production
            client = app.test_client()
            started = time.perf_counter()
            response = client.post("/identity/imports", data={"file": (io.BytesIO(csv_text), "users.csv")},
                                   headers=headers, content_type="multipart/form-data")
            uploaded = time.perf_counter() - started
            assert response.status_code == 202, response.json
            import_id = response.json["id"]
            while True:
                report = client.get(f"/identity/imports/{import_id}", headers=headers).json
                if report["status"] in ("done", "failed"):
                    break
                time.sleep(0.02)
            complete = time.perf_counter() - started
        finally:
            worker.terminate()
            worker.wait(timeout=15)
        running = (_seconds(report["finished_at"]) - _seconds(report["started_at"]))
        return {"lines": lines, "status": report["status"], "created": report["created"],
                "upload_s": round(uploaded, 2), "worker_run_s": round(running, 2),
                "upload_to_report_done_s": round(complete, 2), "target_s": 5}


def _seconds(iso: str) -> float:
    from datetime import datetime
    return datetime.fromisoformat(iso).timestamp()


def main(argv: list[str]) -> None:
    keep = "--keep" in argv
    chosen = [a for a in argv if not a.startswith("--")] or ["list", "import"]
    for name in chosen:
        result = {"list": bench_list, "import": bench_import}[name](keep)
        print(json.dumps({name: result}, indent=2, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

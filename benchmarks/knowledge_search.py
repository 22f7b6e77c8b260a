"""Benchmark of the knowledge base's search at 100,000 bilingual articles, on SQLite (FTS5) and on
PostgreSQL (tsvector + GIN).

Generates the articles (an English and a French version each, 80-150 words drawn from a few hundred
words of each language's accounting and payroll vocabulary, Zipf-weighted, plus a reference number
of their own; one word in half of them — the worst case —, a phrase in 1 in 20, a rare word in
1 in 5,000), loads them through ``search.rebuild`` — the bulk path, batches committed on two
connections at once on PostgreSQL — or, ``--indexing index_many``, through ``search.index_many`` in
the transaction that inserts the articles, then ``search.settle`` (timed, all of it: the indexing
target), then starts a mesh whose
knowledge service serves that database and times ``GET /api/knowledge/search`` through the gateway
as the demo administrator holding "View FAQs" (bearer token, the gateway's session and entitlements,
its hop to knowledge, routing, signed identity, schema, the engine, the extracts, JSON), and in the
same rounds the same request through the service's app in this process (test client: all but the
network and the gateway's hop) and the engine's own ranked query alone (``<engine>.search``): the
ratio gateway / engine shows what our code adds, gateway − app what the hop costs.

    .venv/bin/python benchmarks/knowledge_search.py [--articles 100000] [--requests 100] [--engines sqlite,postgresql]
                                                    [--pg-url URL] [--keep] [--indexing rebuild|index_many]

``--keep`` (PostgreSQL): the database is kept after the run, and a later run with ``--keep`` reuses
it when it already holds ``--articles`` articles at the latest migration (no refill: ~3 min saved
an iteration; the indexing time is then not measured, ``indexing_s`` is null).

Targets (issue 13): p95 <= 50 ms and p99 <= 150 ms in every case; indexing 100,000 articles <= 60 s.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import demo_administrator_holding, embedded_env, percentiles, running_mesh, save  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/knowledge_search_bench"
PORT_BASES = {"sqlite": 29500, "postgresql": 29800}  # a mesh per engine, apart from the others' meshes
FR = ("compte comptable écriture journal exercice clôture bilan déclaration TVA facture avoir fournisseur "
      "règlement échéance banque rapprochement relevé immobilisation amortissement dotation provision stock "
      "inventaire salarié paie bulletin cotisation URSSAF contrat absence congé heures supplémentaires prime "
      "net brut charges sociales taux plafond période mensuelle trimestrielle annuelle saisie import export "
      "fichier paramètre utilisateur droit profil société établissement siège analytique section axe budget "
      "prévision trésorerie virement prélèvement chèque remise lettrage relance litige escompte devise taux "
      "change écart arrondi ajustement régularisation extourne report solde ouverture nouveau dossier sauvegarde "
      "restauration version mise jour installation poste serveur licence module option menu écran bouton "
      "champ liste filtre recherche tri colonne impression état édition aperçu modèle document pièce jointe "
      "archive numéro référence code libellé date montant quantité prix remise total ligne en-tête pied page "
      "le la les un une des du de et ou pour avec sans dans sur par est sont être avoir faire peut doit "
      "afin lorsque puis ensuite avant après chaque tout tous toutes cette ce ces votre vos notre nos il elle "
      "on vous nous leur leurs qui que dont où comment pourquoi quand ne pas plus très bien").split()
EN = ("account ledger entry journal fiscal year closing balance sheet return VAT invoice credit note "
      "supplier payment due date bank reconciliation statement asset depreciation allowance provision stock "
      "inventory employee payroll payslip contribution contract absence leave overtime bonus net gross social "
      "charges rate ceiling period monthly quarterly yearly entry import export file setting user right profile "
      "company branch headquarters analytic section axis budget forecast cash transfer direct debit cheque "
      "deposit matching reminder dispute discount currency exchange difference rounding adjustment accrual "
      "reversal carry forward opening new folder backup restore version update installation workstation server "
      "licence module option menu screen button field list filter search sort column print report edit preview "
      "template document attachment archive number reference code label amount quantity price total line header "
      "footer page the a an of and or for with without in on by is are be have do can must so when then before "
      "after each every all this these your our it they you we their which that how why not more very well").split()
COMMON = {"fr": "client", "en": "customer"}             # in half of the articles
PHRASE = {"fr": "mise à jour", "en": "carry forward"}    # in 1 in 20, as a phrase
RARE = {"fr": "kilométrique", "en": "mileage"}           # in 1 in 5,000
CASES = {  # (label, query, reader's language)
    "rare word": ("kilometriques", "fr"),
    "common word (half the articles)": ("clients", "fr"),
    "two words": ("déclaration mensuelle", "fr"),
    "phrase": ('"mise à jour"', "fr"),
    "prefix, English": ("reconcil*", "en"),
    "prefix longer than the stem": ("déclarat*", "fr"),  # stem declar: matched against the words as written
}


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--keep", action="store_true",
                        help="PostgreSQL: keep the filled database, and reuse it if it holds --articles articles")
    parser.add_argument("--indexing", choices=("rebuild", "index_many"), default="rebuild")
    return parser.parse_args(argv)


def _weights(count: int) -> list[float]:
    return [1.0 / (rank + 1) ** 0.9 for rank in range(count)]


def generate(number: int, rng: random.Random) -> dict:
    """One article's two versions: (title, keywords, body) per language."""
    versions = {}
    for language, words in (("fr", FR), ("en", EN)):
        weights = _weights(len(words))
        body = rng.choices(words, weights, k=rng.randint(80, 150))
        if number % 2 == 0:
            body.insert(rng.randrange(len(body)), COMMON[language])
        if number % 20 == 3:
            body[rng.randrange(len(body)):0] = PHRASE[language].split()
        if number % 5000 == 7:
            body.insert(rng.randrange(len(body)), RARE[language])
        title = " ".join(rng.choices(words[:150], k=rng.randint(4, 8))).capitalize() + f" n° {number}"
        keywords = " ".join(rng.sample(words[:200], 3))
        versions[language] = (title, keywords, " ".join(body) + f". Réf. {number:06d}-{rng.randint(100, 999)}.")
    return versions


def fill(database, count: int, indexing_path: str = "rebuild") -> float:
    """Load ``count`` articles; answer the seconds the indexing took (rows, terms, index)."""
    from sqlalchemy import insert

    from knowledge import search
    from knowledge.models import Article
    rng = random.Random(13)
    brands, domains = ["Etafi", "Liasse", "Paie+", "Compta"], ["Accounting", "Payroll", "Tax", "Treasury"]
    bulk = indexing_path == "rebuild"
    # rebuild: 10,000 articles generated at once, indexed in batches of 1,000 (2,000 entries, one
    # statement each) on its connections; index_many: 2,000 a transaction with their articles.
    indexing, batch, bulk_batch = 0.0, 10_000 if bulk else 2000, 1000
    for start in range(0, count, batch):
        numbers = range(start, min(start + batch, count))
        generated = {n: generate(n, rng) for n in numbers}
        articles = {f"a{n:07d}": [
            search.Entry(language, title, keywords, body, "", brands[n % 4], domains[n % 4],
                         date(2026, 1, 1) + timedelta(days=n % 330))
            for language, (title, keywords, body) in generated[n].items()] for n in numbers}
        with database.transaction() as session:
            session.execute(insert(Article), [{"id": f"a{n:07d}", "status": "published", "latest_version": 1,
                                               "published_version": 1, "title_en": generated[n]["en"][0][:300],
                                               "title_fr": generated[n]["fr"][0][:300], "brand": brands[n % 4],
                                               "domain": domains[n % 4]} for n in numbers])
            if not bulk:
                started = time.perf_counter()
                search.index_many(session, articles)
                session.flush()
                indexing += time.perf_counter() - started
        if bulk:
            ids = list(articles)
            started = time.perf_counter()
            search.rebuild(database, ({i: articles[i] for i in ids[at:at + bulk_batch]}
                                      for at in range(0, len(ids), bulk_batch)))
            indexing += time.perf_counter() - started
        if start and start % 20_000 == 0:
            print(f"    {start:,} articles, indexing {indexing:.1f} s", flush=True)
    return indexing


def measure(database, url: str, requests: int, reader, gateway_url: str) -> dict:
    """Each case timed three ways in the same rounds: through the gateway (``reader``, a session of a
    holder of "View FAQs" on the mesh at ``gateway_url`` whose knowledge serves ``url``), through the service's app in this process
    (test client: the gateway's hop left out), and the engine's ranked query alone."""
    from portalkit.settings import identity_secret
    from portalkit.signed_identity import HEADER, Identity, sign

    from knowledge import search
    from knowledge.app import create_app
    from knowledge.search import parse as parse_query
    os.environ["PORTAL_KNOWLEDGE_DATABASE_URL"] = url
    client = create_app({"TESTING": True}).test_client()
    headers = {HEADER: sign(Identity(user_id="bench", company_id="c1", language="fr",
                                     entitlements=frozenset({"view-faqs@c1"})), identity_secret(), ttl=3600)}
    gateway = f"{gateway_url}/api/knowledge/search"

    def through_gateway(params):
        answer = reader.get(gateway, params=params, timeout=30)
        return answer.status_code, answer.json() if answer.ok else answer.text

    def through_app(params):
        answer = client.get("/knowledge/search", query_string=params, headers=headers)
        return answer.status_code, answer.get_json() if answer.status_code == 200 else answer.get_data(as_text=True)

    results = {}
    for label, (query, language) in CASES.items():
        engine = search._engine  # the engine's ranked query alone, as the service runs it
        params = {"q": query, "language": language}
        for _ in range(5):
            through_gateway(params)
            through_app(params)
        timings = {"gateway": [], "service": [], "engine": []}
        totals = set()
        for _ in range(requests):
            for side, call in (("gateway", through_gateway), ("service", through_app)):
                started = time.perf_counter()
                status, answer = call(params)
                timings[side].append((time.perf_counter() - started) * 1000)
                if status != 200 or not answer["items"]:
                    sys.exit(f"{label} ({side}): {status} {str(answer)[:300]}")
                totals.add(answer["total"])
            with database.read_sessions() as session:
                parsed = parse_query(query)
                started = time.perf_counter()
                engine(session).search(session, parsed, search.Filters(), language, 0, 10)
                timings["engine"].append((time.perf_counter() - started) * 1000)
        if len(totals) != 1:
            sys.exit(f"{label}: the gateway and the app answered different totals {sorted(totals)}")
        figures = {side: percentiles(samples) for side, samples in timings.items()}
        via, app, raw = figures["gateway"], figures["service"], figures["engine"]
        results[label] = {"query": query, "matches": totals.pop(), **figures,
                          "ratio_p50": via["p50"] / raw["p50"], "added_p50_ms": via["p50"] - raw["p50"],
                          "hop_p50_ms": via["p50"] - app["p50"]}
        print(f"  {label:<34} {results[label]['matches']:>7,} hits   gateway p50/p95/p99 {via['p50']:6.1f} "
              f"{via['p95']:6.1f} {via['p99']:6.1f} ms   app {app['p50']:6.1f} {app['p95']:6.1f} {app['p99']:6.1f}"
              f"   engine {raw['p50']:6.1f} {raw['p95']:6.1f} {raw['p99']:6.1f} ms   ratio {via['p50'] / raw['p50']:.2f}",
              flush=True)
    return results


def _filled(url: str, count: int) -> bool:
    """The PostgreSQL database at ``url`` exists, is at the latest migration and holds ``count`` articles."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from portalkit.migrations import upgrade
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            held = connection.execute(text("SELECT count(*) FROM articles")).scalar()
    except (OperationalError, ProgrammingError):
        return False
    finally:
        engine.dispose()
    if held != count:
        return False
    upgrade("knowledge", url=url)  # a no-op at the latest revision; a new migration applies to the fill
    return True


def run_engine(name: str, args) -> dict:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from portalkit.db import Database
    from portalkit.migrations import upgrade
    folder = tempfile.mkdtemp(prefix="knowledge-bench-")
    os.environ["PORTAL_VAR_DIR"] = folder
    keep = args.keep and name == "postgresql"
    reuse = False
    if name == "sqlite":
        url = f"sqlite:///{folder}/knowledge.db"
    else:
        url = args.pg_url
        server = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
        reuse = keep and _filled(url, args.articles)
        if not reuse:
            with server.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    if not reuse:
        upgrade("knowledge", url=url)
    database = Database(url)
    indexing = None
    if reuse:
        print(f"== {name}: reusing the {args.articles:,} articles of {make_url(url).database}", flush=True)
    else:
        print(f"== {name}: loading {args.articles:,} articles ({args.indexing})", flush=True)
        started = time.perf_counter()
        indexing = fill(database, args.articles, args.indexing)
        from knowledge import search
        settling = time.perf_counter()
        search.settle(database)  # part of the indexing: a reindex settles the index as it ends
        settled = time.perf_counter() - settling
        indexing += settled
        print(f"  indexing {indexing:.1f} s, of which settling {settled:.1f} s (load with generation "
              f"{time.perf_counter() - started:.1f} s)", flush=True)
    print("  starting a mesh whose knowledge service serves them", flush=True)
    with running_mesh(Path(folder) / "mesh", PORT_BASES[name], {**embedded_env(), "PORTAL_KNOWLEDGE_DATABASE_URL": url}) as mesh:
        reader = demo_administrator_holding(mesh, "View FAQs")
        cases = measure(database, url, args.requests, reader, mesh.base_url)
    result = {"articles": args.articles, "indexing": args.indexing, "indexing_s": indexing, "cases": cases}
    database.engine.dispose()
    if name == "postgresql" and not keep:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    shutil.rmtree(folder, ignore_errors=True)
    return result


def main(argv=None) -> None:
    args = parse(argv)
    save("knowledge_search", {name: run_engine(name, args) for name in args.engines.split(",")})


if __name__ == "__main__":
    main(sys.argv[1:])

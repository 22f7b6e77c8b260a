"""The relevance set (relevance_set.py) on both engines: each query finds its article in the first
ten (hit@10 ≥ 0.95); the mean reciprocal rank is printed (pytest -s) and must stay high."""
from __future__ import annotations

from datetime import date


from knowledge import search
from knowledge.models import Article
from relevance_set import ARTICLES, QUERIES


def measure(session) -> tuple[float, float, list]:
    hits, reciprocal, misses = 0, 0.0, []
    for query, language, expected in QUERIES:
        found = [hit.article_id for hit in search.search(session, query, search.Filters(), language, 1, 10).hits]
        if expected in found:
            hits += 1
            reciprocal += 1 / (found.index(expected) + 1)
        else:
            misses.append((query, found[:3]))
    return hits / len(QUERIES), reciprocal / len(QUERIES), misses


def test_the_relevance_set_holds_on_both_engines(engine_database):
    assert len(QUERIES) >= 60
    with engine_database.sessions() as session:
        for article_id, (brand, domain, versions) in ARTICLES.items():
            session.add(Article(id=article_id, status="published", published_version=1, brand=brand, domain=domain))
        session.flush()
        search.index_many(session, {article_id: [
            search.Entry(language, title, keywords, body, "", brand, domain, date(2026, 11, 1))
            for language, (title, keywords, body) in versions.items()]
            for article_id, (brand, domain, versions) in ARTICLES.items()})
        session.commit()
        hit_at_10, mrr, misses = measure(session)
    print(f"\n{engine_database.engine.dialect.name}: {len(QUERIES)} queries, hit@10 {hit_at_10:.3f}, MRR {mrr:.3f}, missed {misses}")
    assert hit_at_10 >= 0.95, misses
    assert mrr >= 0.8, misses

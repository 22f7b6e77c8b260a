"""The search past its candidates (PostgreSQL ranks a bounded set of each language's matches and caps
its total): here with the bounds made tiny, on both engines (SQLite stays exact)."""
from __future__ import annotations

import pytest

from knowledge import search
from knowledge.search import postgres_engine

from .test_knowledge_search import NO_FILTER, add, session  # noqa: F401 (the fixture)


@pytest.fixture
def many(session, monkeypatch):  # noqa: F811
    monkeypatch.setattr(postgres_engine, "CANDIDATES", 3)
    monkeypatch.setattr(postgres_engine, "TOTAL_AHEAD", 5)
    for n in range(12):
        add(session, f"c{n:02d}", title=f"Fiche {n}", body=f"Ouvrir le compte numéro {n} puis le fermer.")
    # Inserted last: outside the first body candidates, found by its title.
    add(session, "titre", title="Le compte de résultat", body="Un compte, encore un compte.")
    add(session, "en", language="en", title="Account", body="Only in English: compte.")
    session.commit()
    return session


def postgres(session) -> bool:  # noqa: F811
    return session.get_bind().dialect.name == "postgresql"


def test_a_title_match_leads_the_first_page(many):
    results = search.search(many, "compte", NO_FILTER, "fr", 1, 2)
    assert results.hits[0].article_id == "titre"
    if postgres(many):  # 13 French matches, counted to 5 past the page's first
        assert (results.total, results.capped) == (5, True)
    else:
        assert (results.total, results.capped) == (14, False)


def test_pages_past_the_candidates_are_answered_exactly(many):
    deep = search.search(many, "compte", NO_FILTER, "fr", 4, 3)
    assert len(deep.hits) == 3 and all(hit.language == "fr" for hit in deep.hits)
    assert (deep.total, deep.capped) == (14, False)  # counted to 5 past the page's first: all of them
    # The other language's article comes after every French one, on the last page.
    end = search.search(many, "compte", NO_FILTER, "fr", 14, 1)
    assert [hit.article_id for hit in end.hits] == ["en"]
    assert search.search(many, "compte", NO_FILTER, "fr", 15, 1).hits == []


def test_few_matches_stay_exact(many):
    results = search.search(many, "fermer numéro", NO_FILTER, "fr", 1, 2)
    assert results.total == 12 or postgres(many)
    exact = search.search(many, "résultat", NO_FILTER, "fr", 1, 10)
    assert ([hit.article_id for hit in exact.hits], exact.total, exact.capped) == (["titre"], 1, False)

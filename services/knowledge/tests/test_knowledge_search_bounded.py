"""The search past its candidates (each engine ranks a bounded set of each language's matches and caps
its total, ``search.bounds``): here with the bounds made tiny, the same answers on both engines."""
from __future__ import annotations

import pytest

from knowledge import search
from knowledge.search import bounds, postgres_engine

from .test_knowledge_search import NO_FILTER, add, session  # noqa: F401 (the fixture)


@pytest.fixture
def many(session, monkeypatch):  # noqa: F811
    monkeypatch.setattr(bounds, "CANDIDATES", 3)
    monkeypatch.setattr(bounds, "TOTAL_AHEAD", 5)
    for n in range(12):
        add(session, f"c{n:02d}", title=f"Fiche {n}", body=f"Ouvrir le compte numéro {n} puis le fermer.")
    # Inserted last: outside the first body candidates, found by its title.
    add(session, "titre", title="Le compte de résultat", body="Un compte, encore un compte.")
    add(session, "en", language="en", title="Account", body="Only in English: compte.")
    session.commit()
    return session


def test_a_title_match_leads_the_first_page(many):
    results = search.search(many, "compte", NO_FILTER, "fr", 1, 2)
    assert results.hits[0].article_id == "titre"
    # 13 French matches, counted to 5 past the page's first
    assert (results.total, results.capped) == (5, True)


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
    # 12 French matches: more than the candidates, counted to 5 past the page's first
    assert (results.total, results.capped) == (5, True)
    exact = search.search(many, "résultat", NO_FILTER, "fr", 1, 10)
    assert ([hit.article_id for hit in exact.hits], exact.total, exact.capped) == (["titre"], 1, False)


@pytest.fixture
def boundary(session, monkeypatch):  # noqa: F811
    """The production bounds scaled down ×50: 10 candidates, pages of 5 (page 3 is the first past the
    candidates, as page 11 of 50 past 500), 27 French matches and 3 English ones."""
    monkeypatch.setattr(bounds, "CANDIDATES", 10)
    monkeypatch.setattr(bounds, "TOTAL_AHEAD", 10)
    for n in range(27):
        # The body's weight varies (1 to 3 mentions) so that the ranking has distinct scores.
        add(session, f"b{n:02d}", title=f"Fiche {n}", body="Ouvrir le compte. " * (1 + n % 3) + f"Numéro {n}.")
    add(session, "tit", title="Le compte annuel", body="Un compte.")
    for n in range(3):
        add(session, f"e{n}", language="en", title=f"Sheet {n}", body="The compte, in English.")
    session.commit()
    return session


def test_pages_across_the_candidates_bound_have_no_gap_or_duplicate(boundary):
    pages = [search.search(boundary, "compte", NO_FILTER, "fr", page, 5) for page in range(1, 9)]
    walked = [hit.article_id for results in pages for hit in results.hits]
    expected = {f"b{n:02d}" for n in range(27)} | {"tit", "e0", "e1", "e2"}
    assert len(walked) == len(set(walked)) == 31 and set(walked) == expected
    assert walked[0] == "tit"  # the title above the bodies, on the first page
    assert walked[-3:] == sorted(walked[-3:]) == ["e0", "e1", "e2"]  # the other language last
    assert [len(results.hits) for results in pages] == [5, 5, 5, 5, 5, 5, 1, 0]
    # Counted to 10 past each page's first: capped until the end is within reach.
    third = pages[2]
    assert (third.total, third.capped) == (20, True)
    assert (pages[4].total, pages[4].capped) == (30, True)  # 31 matches, 30 within reach of page 5
    assert [(results.total, results.capped) for results in pages[5:]] == [(31, False)] * 3


def test_a_keywords_match_outranks_bodies_past_the_candidates(session, monkeypatch):  # noqa: F811
    """A common word: more bodies match than the candidates; the article whose keywords hold it,
    written last (outside the first body candidates), still comes first, as title > keywords > body."""
    monkeypatch.setattr(bounds, "CANDIDATES", 3)
    for n in range(8):
        add(session, f"c{n}", title=f"Fiche {n}", body="Le compte, puis le compte encore.")
    add(session, "mots", title="Fiche de clôture", keywords="compte", body="Le compte.")
    session.commit()
    assert [hit.article_id for hit in search.search(session, "compte", NO_FILTER, "fr", 1, 3).hits][0] == "mots"


def test_filters_hold_among_the_candidates_and_past_them(session, monkeypatch):  # noqa: F811
    """More matches than the candidates in each brand: every page and the total keep to the brand."""
    monkeypatch.setattr(bounds, "CANDIDATES", 3)
    monkeypatch.setattr(bounds, "TOTAL_AHEAD", 5)
    for n in range(8):
        add(session, f"e{n}", title=f"Fiche {n}", body="Le compte.", brand="Etafi")
        add(session, f"o{n}", title=f"Fiche {n}", body="Le compte.", brand="Other")
    add(session, "otitle", title="Le compte", body="Le compte.", brand="Other")
    add(session, "etitle", title="Le compte", body="Le compte.", brand="Etafi")  # a heading of the other brand
    session.commit()
    only = search.Filters(brand="Other")
    first = search.search(session, "compte", only, "fr", 1, 2)
    assert first.hits[0].article_id == "otitle" and {hit.brand for hit in first.hits} == {"Other"}
    assert (first.total, first.capped) == (5, True)
    walked = [hit.article_id for page in range(1, 7)
              for hit in search.search(session, "compte", only, "fr", page, 2).hits]
    assert sorted(walked) == sorted(["otitle"] + [f"o{n}" for n in range(8)])


def test_a_prefix_matching_past_the_first_entries(session, monkeypatch):  # noqa: F811
    """A prefix's matches mostly past the language's first entries (PostgreSQL reads a prefix's first
    entries before its GIN index, ``postgres_engine.WINDOW``): all found, counted, each once."""
    monkeypatch.setattr(bounds, "CANDIDATES", 3)
    monkeypatch.setattr(bounds, "TOTAL_AHEAD", 5)
    # Page 1 reads 6 matches at most: on PostgreSQL, a window of WINDOW × 6 entries, one of them a match
    # (by its keywords too: the window is read when the headings match).
    assert postgres_engine.WINDOW * 6 < 30
    for n in range(30):
        add(session, f"n{n:02d}", title=f"Fiche {n}", keywords="rapprochement" if n == 5 else "",
            body="Le rapprochement bancaire." if n == 5 else "Le bilan.")
    for n in range(4):
        add(session, f"p{n}", title=f"Fiche {n}", body="Lancer le rapprochement.")
    add(session, "en", language="en", title="Sheet", body="The rapprochement, in English.")
    session.commit()
    first = search.search(session, "rapproch*", NO_FILTER, "fr", 1, 2)
    # 5 French matches (all within reach) and the English one: 6, counted to 5 past the page's first
    assert (first.total, first.capped) == (5, True)
    pages = [search.search(session, "rapproch*", NO_FILTER, "fr", page, 2) for page in range(1, 5)]
    walked = [hit.article_id for results in pages for hit in results.hits]
    assert len(walked) == len(set(walked)) == 6 and walked[-1] == "en"
    assert set(walked) == {"n05", "p0", "p1", "p2", "p3", "en"}
    assert (pages[2].total, pages[2].capped) == (6, False)

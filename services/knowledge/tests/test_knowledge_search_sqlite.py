"""The SQLite engine's tables per language (migration 0010_search_tables_per_language): words and
prefixes kept apart without column filters (a prefix is matched against the words as written, on
both engines, never against a stem the written word does not begin with), and each entry in its
language's tables and its headings', all of them removed with the article."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from article_rows import add_published
from knowledge import search
from knowledge.search import sqlite_engine

ARTICLES = {  # id: (language, title, body) — "skies" is stemmed "sky", "chevaux" "cheval"
    "sky": ("en", "Weather", "A clear sky over the office."),
    "skies": ("en", "Weather", "Clear skies over the office."),
    "cheval": ("fr", "Écurie", "Un cheval dans le pré."),
    "chevaux": ("fr", "Écurie", "Des chevaux dans le pré."),
    "titled": ("en", "Skiers of the ledger", "Nothing else."),  # stem "skier"
    "headed": ("en", "Skies above", "Nothing more."),  # "skies" in a title alone
}


def _index(session, articles: dict) -> None:
    add_published(session, articles)
    search.index_many(session, {article_id: [search.Entry(language, title, "", body, "", "Etafi", "Tax",
                                                          date(2026, 1, 1))]
                                for article_id, (language, title, body) in articles.items()})


def _found(session, query: str, language: str) -> set[str]:
    return {hit.article_id for hit in search.search(session, query, search.Filters(), language).hits}


@pytest.mark.parametrize("query, language, expected", [
    ("sky*", "en", {"sky"}),  # not "skies", whose stem is "sky", in a body nor in a title
    ("skies", "en", {"sky", "skies", "headed"}),  # a word: by its stem
    ("skie*", "en", {"skies", "titled", "headed"}),  # in a title too
    ("cheval*", "fr", {"cheval"}),  # not "chevaux", whose stem is "cheval"
    ("chevaux", "fr", {"cheval", "chevaux"}),
    ("cheva*", "fr", {"cheval", "chevaux"}),
])
def test_a_prefix_matches_the_words_as_written_and_a_word_its_stem(engine_database, query, language, expected):
    with engine_database.sessions() as session:
        _index(session, ARTICLES)
        assert _found(session, query, language) == expected
        session.rollback()


@pytest.mark.parametrize("engine_database", ["sqlite"], indirect=True)
def test_each_entry_is_in_its_language_tables_until_it_is_removed(engine_database):
    def held(session) -> dict[str, int]:
        names = [name(language) for language in ("en", "fr")
                 for name in (sqlite_engine.table, sqlite_engine.heading_table)]
        return {name: session.execute(text(f"SELECT count(*) FROM {name}")).scalar() for name in names}

    with engine_database.sessions() as session:
        _index(session, ARTICLES)
        assert held(session) == {"article_search_en": 4, "article_search_en_heading": 4,
                                 "article_search_fr": 2, "article_search_fr_heading": 2}
        search.index(session, "titled", [search.Entry("fr", "Ciel", "", "Un ciel clair.", "", "Etafi", "Tax",
                                                      date(2026, 1, 1))])
        assert held(session) == {"article_search_en": 3, "article_search_en_heading": 3,
                                 "article_search_fr": 3, "article_search_fr_heading": 3}
        assert _found(session, "skiers", "en") == set()  # its English title went with it
        for article_id in ARTICLES:
            search.unindex(session, article_id)
        assert set(held(session).values()) == {0}
        session.rollback()


# More words than a prefix is read as (past ``EXPANSION``).
MANY = " ".join(f"recap{first}{second}" for first in "abc" for second in "abcdefghijklmnopqrstuvwxyz")


@pytest.mark.parametrize("engine_database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("query", ["reconcil*", "reconciliation*", "rec*", "recap*", "recapq*", "reconcil* ledger",
                                   "ledger reconciled*", "recon* recap*", "zzz*", "réconcil*"])
def test_a_prefix_asked_for_as_its_words_finds_what_the_prefix_finds(engine_database, monkeypatch, query):
    from knowledge.search import sqlite_search
    assert len(MANY.split()) > sqlite_engine.EXPANSION
    bodies = ["Bank reconciliation of the ledger.", "Reconcile the ledger reconciled twice, reconciliation.",
              "Reconciled entries.", f"Ledger {MANY}.", "Recapq recapq recapq ledger.", "Nothing to see."]
    articles = {f"r{number}": ("en", f"Title {number}", body) for number, body in enumerate(bodies)}
    with engine_database.sessions() as session:
        _index(session, articles)
        _index(session, {"gone": ("en", "Zzzword", "zzzword only")})
        search.unindex(session, "gone")  # its words stay in the vocabulary: they match nothing
        asked = search.search(session, query, search.Filters(), "en")
        monkeypatch.setattr(sqlite_search, "completions", lambda *_: {})
        as_prefix = search.search(session, query, search.Filters(), "en")
        assert [(hit.article_id, hit.score) for hit in asked.hits] == \
            [(hit.article_id, hit.score) for hit in as_prefix.hits]
        assert (asked.total, asked.capped) == (as_prefix.total, as_prefix.capped)
        session.rollback()

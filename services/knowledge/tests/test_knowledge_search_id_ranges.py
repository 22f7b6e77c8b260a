"""A word's matches past the first entries (PostgreSQL reads words' first matches from the first
blocks of ids before the GIN's whole bitmap, ``postgres_engine.RANGE``, ``BLOCK``): all found,
counted, each once, on both engines alike — and, on PostgreSQL, the blocks read from the index, not
filtered."""
from __future__ import annotations

import pytest
from sqlalchemy import event, text

from knowledge import search
from knowledge.search import bounds, postgres_engine

from .test_knowledge_search import NO_FILTER, add, session  # noqa: F401 (the fixture)


def _next_id(session, value: int) -> None:
    """PostgreSQL: the next entry's id is ``value`` (SQLite's rowids go on: the answers are the same)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT setval('article_search_id_seq', :last)"), {"last": value - 1})


@pytest.fixture
def past_the_range(session, monkeypatch):  # noqa: F811
    monkeypatch.setattr(bounds, "CANDIDATES", 3)
    monkeypatch.setattr(bounds, "TOTAL_AHEAD", 5)
    # Page 1 reads 6 matches at most: on PostgreSQL, the ids below 1 + 6 in their blocks, the first
    # block (ids below BLOCK), one match among its first entries, one its last, the next the first past.
    monkeypatch.setattr(postgres_engine, "RANGE", 1)
    for n in range(30):
        add(session, f"n{n:02d}", title=f"Fiche {n}", body="Le rapprochement bancaire." if n == 5 else "Le bilan.")
    _next_id(session, postgres_engine.BLOCK - 1)
    add(session, "last", title="Fiche", body="Le rapprochement bancaire.")
    add(session, "past", title="Fiche", body="Le rapprochement bancaire.")
    _next_id(session, 5 * postgres_engine.BLOCK)
    for n in range(4):
        add(session, f"p{n}", title=f"Fiche {n}", body="Lancer le rapprochement.")
    add(session, "en", language="en", title="Sheet", body="The rapprochement, in English.")
    session.commit()
    return session


def test_a_word_matching_past_the_first_ids(past_the_range):
    first = search.search(past_the_range, "rapprochement", NO_FILTER, "fr", 1, 2)
    # 7 French matches and the English one: counted to 5 past the page's first
    assert (first.total, first.capped) == (5, True)
    pages = [search.search(past_the_range, "rapprochement", NO_FILTER, "fr", page, 2) for page in range(1, 6)]
    walked = [hit.article_id for results in pages for hit in results.hits]
    assert len(walked) == len(set(walked)) == 8 and walked[-1] == "en"
    assert set(walked) == {"n05", "last", "past", "p0", "p1", "p2", "p3", "en"}
    assert (pages[3].total, pages[3].capped) == (8, False)
    assert pages[4].hits == []


def test_two_words_and_a_phrase_past_the_first_ids(past_the_range):
    assert [hit.article_id for hit in
            search.search(past_the_range, "lancer rapprochement", NO_FILTER, "fr", 1, 10).hits] == \
        ["p0", "p1", "p2", "p3"]
    phrase = search.search(past_the_range, '"rapprochement bancaire"', NO_FILTER, "fr", 1, 10)
    assert (sorted(hit.article_id for hit in phrase.hits), phrase.total, phrase.capped) == \
        (["last", "n05", "past"], 3, False)


@pytest.mark.parametrize("engine_database", ["postgresql"], indirect=True)
def test_the_range_is_read_from_the_index(session):  # noqa: F811
    """The blocks are an index condition of ``document``'s GIN (both sides ``bigint``: against an
    ``integer`` it is only a filter, after the bitmap of every match). 3,000 entries, one in three a
    match: a table the planner reads through its indexes."""
    for start in range(0, 3000, 1000):
        session.execute(text("INSERT INTO articles (id, status, latest_version, published_version, title_en, "
                             "title_fr, brand, domain) SELECT 'r' || n, 'published', 1, 1, '', '', 'Etafi', 'Tax' "
                             "FROM generate_series(CAST(:start AS integer), CAST(:end AS integer)) AS n"), {"start": start, "end": start + 999})
        search.index_many(session, {f"r{n}": [search.Entry("fr", f"Fiche {n}", "", "Le rapprochement." if n % 3 == 0
                                                           else "Le bilan.", "", "Etafi", "Tax", None)]
                                    for n in range(start, start + 1000)})
    session.execute(text("ANALYZE article_search"))
    statements = []

    def kept(conn, cursor, statement, parameters, context, executemany):
        if "WITH" in statement:
            statements.append((statement, parameters))

    bind = session.get_bind()
    event.listen(bind, "before_cursor_execute", kept)
    try:
        assert len(search.search(session, "rapprochement", NO_FILTER, "fr", 1, 2).hits) == 2
    finally:
        event.remove(bind, "before_cursor_execute", kept)
    statement, parameters = statements[0]
    session.execute(text("SET LOCAL enable_seqscan = off"))
    cursor = session.connection().connection.cursor()
    cursor.execute("EXPLAIN " + statement, parameters)
    plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Index Cond: ((((id / {postgres_engine.BLOCK}))::bigint < " in plan, plan

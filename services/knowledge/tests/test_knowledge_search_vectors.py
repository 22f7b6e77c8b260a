"""PostgreSQL: the ``document`` and ``words`` the insert computes (each text's elisions dropped once
for both) are the tsvectors ``portal_document`` and ``portal_words`` give — over texts with what moves
positions or lexemes: elisions (one after another too), hyphens, numbers, signs, accents, ligatures,
repeated words, empty fields."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from article_rows import add_published
from knowledge import search

from .test_knowledge_search_heading import HEADINGS

BODIES = [
    "L'écriture d'ouverture qu'on passe jusqu'au 31/12, lorsqu'elle l'l'est.",
    "Les déclarations mensuelles de TVA : e-mail, mise-à-jour, état-major.",
    "Réf. 000123-456 n° 7, v2.3.1 du 2026-01-15 ; 3.14 -12 +7 1e5.",
    "Œuvre, cœur & Straße — ÉCRITURE ﬁchier ÆON.",
    "",
]


@pytest.mark.parametrize("engine_database", ["postgresql"], indirect=True)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_inserted_vectors_are_the_functions(postgres_session, language):
    session = postgres_session
    articles = {f"v{number}": [search.Entry(language, title, keywords, BODIES[number % len(BODIES)],
                                            BODIES[(number + 2) % len(BODIES)], "Etafi", "Tax", date(2026, 1, 1))]
                for number, (title, keywords) in enumerate(HEADINGS)}
    add_published(session, articles)
    search.index_many(session, articles)
    rows = session.execute(text(
        "SELECT article_id, document::text AS document, words::text AS words, "
        "portal_document(language, title, keywords, body, attachments)::text AS parsed_document, "
        "portal_words(title, keywords, body, attachments)::text AS parsed_words "
        "FROM article_search ORDER BY article_id")).all()
    assert len(rows) == len(HEADINGS)
    assert all(row.document and row.words for row in rows[:1])
    assert [(row.article_id, row.document, row.words) for row in rows] == \
        [(row.article_id, row.parsed_document, row.parsed_words) for row in rows]


@pytest.mark.parametrize("engine_database", ["postgresql"], indirect=True)
def test_the_vectors_and_body_are_compressed_with_lz4(postgres_session):
    """Where the server has lz4 (migration 0011_search_id_ranges: cheaper than pglz to write); else
    the server's default, which ``attcompression`` leaves blank."""
    session = postgres_session
    lz4 = session.execute(text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                               "WHERE name = 'default_toast_compression'")).scalar()
    methods = dict(session.execute(text(
        "SELECT attname, attcompression FROM pg_attribute WHERE attrelid = 'article_search'::regclass "
        "AND attname IN ('document', 'words', 'heading_document', 'body')")).all())
    assert methods == dict.fromkeys(("document", "words", "heading_document", "body"), "l" if lz4 else "")

"""PostgreSQL: the ``heading_document`` the insert derives from ``document`` and ``words`` (their A and
B lexemes, unweighted) is the tsvector ``portal_heading_document`` parses from the title and keywords
— over texts with what moves positions or lexemes: elisions, hyphens, numbers, signs, accents,
ligatures, repeated words, an empty title or keywords."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from article_rows import add_published
from knowledge import search

HEADINGS = [
    ("Les déclarations de TVA", "tva déclaration mensuelle"),
    ("L'immobilisation d’un bien jusqu'au 31/12", "qu'il lorsqu'on aujourd'hui"),
    ("E-mail et mise-à-jour : l'état-major", "e-mail co-titulaire"),
    ("Réf. 000123-456 n° 7, v2.3.1 du 2026-01-15", "3.14 -12 +7 1e5"),
    ("Œuvre, cœur & Straße — ÉCRITURE", "œuvre ÆON ﬁchier"),
    ("Payroll payroll PAYROLL payslips", "payroll payroll"),
    ("", "mots-clés seuls"),
    ("Un titre seul !", ""),
    ("", ""),
    ("Fin de titre avec signe :", "« guillemets » (parenthèses) [crochets]"),
    ("user@example.com http://example.com/a/b.html /usr/local/bin", "example.com"),
    ("Carry forward the balance's reversal", "it's don't l'"),
]


@pytest.mark.parametrize("engine_database", ["postgresql"], indirect=True)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_derived_heading_is_the_parsed_one(postgres_session, language):
    session = postgres_session
    articles = {f"h{number}": [search.Entry(language, title, keywords, "corps du texte, body text", "pièce",
                                            "Etafi", "Tax", date(2026, 1, 1))]
                for number, (title, keywords) in enumerate(HEADINGS)}
    add_published(session, articles)
    search.index_many(session, articles)
    rows = session.execute(text("SELECT title, keywords, heading_document::text AS derived, "
                                "portal_heading_document(language, title, keywords)::text AS parsed "
                                "FROM article_search ORDER BY article_id")).all()
    assert len(rows) == len(HEADINGS)
    assert [(row.title, row.keywords, row.derived) for row in rows] == \
        [(row.title, row.keywords, row.parsed) for row in rows]

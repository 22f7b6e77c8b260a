"""The PostgreSQL engine: ``article_search.document``, a ``tsvector`` column the database computes
from the entry's texts (``portal_document``: elisions dropped, then the ``portal_en`` or ``portal_fr``
configuration, unaccent + Snowball without stop words; weights A title, B keywords, C body, D
attachments), under a GIN index; ranked by ``ts_rank`` (migration 0004_articles)."""
from __future__ import annotations

from sqlalchemy import insert as insert_into, text
from sqlalchemy.orm import Session

from . import analysis
from .query import Query

CONFIGURATIONS = {"en": "portal_en", "fr": "portal_fr"}
WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"  # D, C, B, A


def insert(session: Session, items) -> None:
    """The entries' rows; the database computes their ``document`` (a generated column)."""
    from . import row_values
    from ..models import ArticleSearchEntry as Row
    if items:
        session.execute(insert_into(Row), [row_values(article_id, entry) for article_id, entry in items])


def unindex(session: Session, article_ids: list[str]) -> None:
    from . import delete_rows
    delete_rows(session, article_ids)


def tsquery_text(query: Query) -> str:
    """The ``to_tsquery`` text: each written word quoted (letters and digits only, the configuration
    folds and stems it), phrases with ``<->``, prefixes with ``:*``, all joined by ``&``."""
    parts = []
    for item in query.terms:
        words = [word for word in item.words if word]
        if not words:
            continue
        if item.prefix:
            parts.append(f"'{words[0]}':*")
        elif len(words) == 1:
            parts.append(f"'{words[0]}'")
        else:
            parts.append("(" + " <-> ".join(f"'{word}'" for word in words) + ")")
    return " & ".join(parts)


def search(session: Session, query: Query, filters, language: str, offset: int, limit: int):
    """One statement: both languages' matches ranked once, one per article, the reader's first.
    (Measured: counting and ranking each language apart reads every match's ``document`` three
    or four times on PostgreSQL — slower, where SQLite's FTS5 gains by it.)"""
    expression = tsquery_text(query)
    if not expression:
        return [], 0
    params = {"reader": language, "limit": limit, "offset": offset, "q": expression}
    conditions = ""
    if filters.brand:
        conditions += " AND s.brand = :brand"
        params["brand"] = filters.brand
    if filters.domain:
        conditions += " AND s.domain = :domain"
        params["domain"] = filters.domain
    arms = [f"SELECT s.id, s.article_id, s.language, ts_rank('{WEIGHTS}', s.document, q) AS score "
            f"FROM article_search s, to_tsquery('{CONFIGURATIONS[lang]}', :q) q "
            f"WHERE s.language = '{lang}' AND s.document @@ q{conditions}" for lang in analysis.LANGUAGES]
    sql = (f"WITH hits AS ({' UNION ALL '.join(arms)}), "
           "ranked AS (SELECT id, article_id, language, score, ROW_NUMBER() OVER ("
           "PARTITION BY article_id ORDER BY language = :reader DESC, score DESC) AS n FROM hits) "
           "SELECT id, score, COUNT(*) OVER () AS total FROM ranked WHERE n = 1 "
           "ORDER BY language = :reader DESC, score DESC, article_id LIMIT :limit OFFSET :offset")
    rows = session.execute(text(sql), params).all()
    if not rows and offset:
        total = session.execute(text(f"WITH hits AS ({' UNION ALL '.join(arms)}) "
                                     "SELECT COUNT(DISTINCT article_id) FROM hits"), params).scalar() or 0
        return [], total
    return [(row.id, float(row.score)) for row in rows], (rows[0].total if rows else 0)

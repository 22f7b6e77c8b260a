"""The SQLite engine: an FTS5 table (``article_search_fts``, rowid = ``article_search.id``) holding
each entry's terms (``analysis``: elisions dropped, folded, stemmed in the entry's language), ranked
by BM25 with the title weighing most, then keywords, the body, the attachments."""
from __future__ import annotations

from sqlalchemy import insert as insert_into, text
from sqlalchemy.orm import Session

from . import analysis
from .query import Query, stems

WEIGHTS = (10.0, 5.0, 1.0, 0.5)  # title, keywords, body, attachments


def insert(session: Session, items) -> None:
    """The entries' rows, then their terms in the FTS5 table under the same rowids."""
    from . import row_values
    from ..models import ArticleSearchEntry as Row
    if not items:
        return
    ids = session.execute(insert_into(Row).returning(Row.id, sort_by_parameter_order=True),
                          [row_values(article_id, entry) for article_id, entry in items]).scalars().all()
    session.execute(text("INSERT INTO article_search_fts (rowid, title, keywords, body, attachments) "
                         "VALUES (:id, :title, :keywords, :body, :attachments)"),
                    [{"id": row_id, **{name: analysis.indexed(getattr(entry, name), entry.language)
                                       for name in ("title", "keywords", "body", "attachments")}}
                     for row_id, (_article_id, entry) in zip(ids, items)])


def unindex(session: Session, article_ids: list[str]) -> None:
    from . import delete_rows
    ids = delete_rows(session, article_ids)
    if ids:
        session.execute(text("DELETE FROM article_search_fts WHERE rowid = :id"), [{"id": i} for i in ids])


def match_expression(query: Query, language: str) -> str:
    """The FTS5 MATCH text: every term quoted (no FTS5 syntax can come from a reader)."""
    parts = []
    for words, prefix in stems(query, language):
        quoted = '"%s"' % " ".join(words)
        parts.append(quoted + "*" if prefix else quoted)
    return " AND ".join(parts)


def search(session: Session, query: Query, filters, language: str, offset: int, limit: int):
    params = {"reader": language, "limit": limit, "offset": offset}
    conditions = ""
    if filters.brand:
        conditions += " AND s.brand = :brand"
        params["brand"] = filters.brand
    if filters.domain:
        conditions += " AND s.domain = :domain"
        params["domain"] = filters.domain
    arms = []
    for lang in analysis.LANGUAGES:
        expression = match_expression(query, lang)
        if not expression:
            continue
        params[f"q_{lang}"] = expression
        arms.append(f"SELECT s.id AS id, s.article_id AS article_id, s.language AS language, "
                    f"bm25(article_search_fts, {', '.join(map(str, WEIGHTS))}) AS score "
                    f"FROM article_search_fts JOIN article_search s ON s.id = article_search_fts.rowid "
                    f"WHERE article_search_fts MATCH :q_{lang} AND s.language = '{lang}'{conditions}")
    if not arms:
        return [], 0
    sql = (f"WITH hits AS ({' UNION ALL '.join(arms)}), "
           "ranked AS (SELECT id, article_id, language, score, ROW_NUMBER() OVER ("
           "PARTITION BY article_id ORDER BY language = :reader DESC, score) AS n FROM hits) "
           "SELECT id, score, COUNT(*) OVER () AS total FROM ranked WHERE n = 1 "
           "ORDER BY language = :reader DESC, score, article_id LIMIT :limit OFFSET :offset")
    rows = session.execute(text(sql), params).all()
    if not rows and offset:
        total = session.execute(text(f"WITH hits AS ({' UNION ALL '.join(arms)}) "
                                     "SELECT COUNT(DISTINCT article_id) FROM hits"), params).scalar() or 0
        return [], total
    # BM25 is lower for better matches: answered as a score that grows with relevance.
    return [(row.id, -row.score) for row in rows], (rows[0].total if rows else 0)

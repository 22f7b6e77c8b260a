"""The SQLite engine: an FTS5 table (``article_search_fts``, rowid = ``article_search.id``) holding
each entry's terms (``analysis``: elisions dropped, folded, stemmed in the entry's language), ranked
by BM25 with the title weighing most, then keywords, the body, the attachments.

An entry's id is ``2 × key + language`` (0 English, 1 French), ``key`` shared by the article's
two entries: the query ranks, keeps one entry per article and puts the reader's language first
from the FTS5 table alone, without reading a row of ``article_search`` for each match (measured:
that lookup was most of the time of a query matching half the articles).
"""
from __future__ import annotations

from sqlalchemy import insert as insert_into, text
from sqlalchemy.orm import Session

from . import analysis
from .query import Query, stems

WEIGHTS = (10.0, 5.0, 1.0, 0.5)  # title, keywords, body, attachments


LANGUAGE_BIT = {"en": 0, "fr": 1}


def insert(session: Session, items) -> None:
    """The entries' rows under their ids (one new key per article), then their terms in the FTS5
    table under the same rowids. Writers on SQLite are serialised: the keys cannot collide."""
    from . import row_values
    from ..models import ArticleSearchEntry as Row
    if not items:
        return
    next_key = (session.scalar(text("SELECT coalesce(max(id), 0) FROM article_search")) // 2) + 1
    keys: dict[str, int] = {}
    rows = []
    for article_id, entry in items:
        if article_id not in keys:
            keys[article_id], next_key = next_key, next_key + 1
        rows.append({"id": keys[article_id] * 2 + LANGUAGE_BIT[entry.language], **row_values(article_id, entry)})
    session.execute(insert_into(Row), rows)
    session.execute(text("INSERT INTO article_search_fts (rowid, title, keywords, body, attachments) "
                         "VALUES (:id, :title, :keywords, :body, :attachments)"),
                    [{"id": row["id"], **{name: analysis.indexed(getattr(entry, name), entry.language)
                                          for name in ("title", "keywords", "body", "attachments")}}
                     for row, (_article_id, entry) in zip(rows, items)])


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
    params = {"reader": LANGUAGE_BIT.get(language, 0), "limit": limit, "offset": offset}
    conditions = ""
    if filters.brand or filters.domain:
        wanted = []
        if filters.brand:
            wanted.append("brand = :brand")
            params["brand"] = filters.brand
        if filters.domain:
            wanted.append("domain = :domain")
            params["domain"] = filters.domain
        conditions = f" AND rowid IN (SELECT id FROM article_search WHERE {' AND '.join(wanted)})"
    arms = []
    for lang in analysis.LANGUAGES:
        expression = match_expression(query, lang)
        if not expression:
            continue
        params[f"q_{lang}"] = expression
        arms.append(f"SELECT rowid AS id, bm25(article_search_fts, {', '.join(map(str, WEIGHTS))}) AS score "
                    f"FROM article_search_fts WHERE article_search_fts MATCH :q_{lang} "
                    f"AND rowid % 2 = {LANGUAGE_BIT[lang]}{conditions}")
    if not arms:
        return [], 0
    hits = " UNION ALL ".join(arms)
    sql = (f"WITH hits AS ({hits}), "
           "ranked AS (SELECT id, score, ROW_NUMBER() OVER ("
           "PARTITION BY id / 2 ORDER BY id % 2 = :reader DESC, score) AS n FROM hits) "
           "SELECT id, score, COUNT(*) OVER () AS total FROM ranked WHERE n = 1 "
           "ORDER BY id % 2 = :reader DESC, score, id LIMIT :limit OFFSET :offset")
    rows = session.execute(text(sql), params).all()
    if not rows and offset:
        total = session.execute(text(f"WITH hits AS ({hits}) SELECT COUNT(DISTINCT id / 2) FROM hits"),
                                params).scalar() or 0
        return [], total
    # BM25 is lower for better matches: answered as a score that grows with relevance.
    return [(row.id, -row.score) for row in rows], (rows[0].total if rows else 0)

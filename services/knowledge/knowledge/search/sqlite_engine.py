"""The SQLite engine: an FTS5 table (``article_search_fts``, rowid = ``article_search.id``) holding
each entry's terms (``analysis``: elisions dropped, folded, stemmed in the entry's language) and,
in the ``*_words`` columns, the same words folded but unstemmed, which ``word*`` prefixes match
(migration 0009_search_prefix_words); ranked by BM25 with the
title weighing most, then keywords, the body, the attachments — alike for words and prefixes.

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

FIELDS = ("title", "keywords", "body", "attachments")
WORD_FIELDS = tuple(f"{name}_words" for name in FIELDS)
# title, keywords, body, attachments: their terms, then their unstemmed words weighed alike.
WEIGHTS = (10.0, 5.0, 1.0, 0.5) * 2
# FTS5 column filters: a whole word matches the stems, a prefix the words as written.
_STEMS = "{%s}" % " ".join(FIELDS)
_WORDS = "{%s}" % " ".join(WORD_FIELDS)
_HEADING_STEMS = "{%s}" % " ".join(FIELDS[:2])
_HEADING_WORDS = "{%s}" % " ".join(WORD_FIELDS[:2])


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
    # Straight to the driver's executemany: the ORM's bulk insert and SQLAlchemy's processing of
    # each row's parameters cost a rebuild an eighth (measured: 20,000 articles, alternated in
    # one run, load 1.9: 8.97 -> 7.79 s, median of three).
    session.execute(insert_into(Row.__table__), rows)
    session.connection().exec_driver_sql(INSERT_FTS, [{"id": row["id"], **fts_values(entry.language, entry)}
                                                      for row, (_article_id, entry) in zip(rows, items)])


INSERT_FTS = (f"INSERT INTO article_search_fts (rowid, {', '.join(FIELDS + WORD_FIELDS)}) "
              f"VALUES (:id, {', '.join(':' + name for name in FIELDS + WORD_FIELDS)})")


def fts_values(language: str, texts) -> dict:
    """An entry's FTS5 columns: each text's stems, then its unstemmed words (``texts`` has the
    fields as attributes: an ``Entry`` or a row of ``article_search``)."""
    values = {}
    for name in FIELDS:
        values[name], values[f"{name}_words"] = analysis.indexed_and_plain(getattr(texts, name), language)
    return values


def unindex(session: Session, article_ids: list[str]) -> None:
    from . import delete_rows
    ids = delete_rows(session, article_ids)
    if ids:
        session.execute(text("DELETE FROM article_search_fts WHERE rowid = :id"), [{"id": i} for i in ids])


def match_expression(query: Query, language: str, heading: bool = False) -> str:
    """The FTS5 MATCH text: every term quoted (no FTS5 syntax can come from a reader), words and
    phrases against the stems' columns, prefixes against the words'; with ``heading``, against the
    title's and keywords' columns alone (the candidates every page ranks: ``sqlite_search``)."""
    stems_columns, words_columns = (_HEADING_STEMS, _HEADING_WORDS) if heading else (_STEMS, _WORDS)
    parts = []
    for words, prefix in stems(query, language):
        quoted = '"%s"' % " ".join(words)
        parts.append(f"{words_columns} : {quoted}*" if prefix else f"{stems_columns} : {quoted}")
    return " AND ".join(parts)


def search(session: Session, query: Query, filters, language: str, offset: int, limit: int):
    """(hits, total, capped): ``sqlite_search.search`` (the query side, a module of its own)."""
    from .sqlite_search import search as bounded
    return bounded(session, query, filters, language, offset, limit)

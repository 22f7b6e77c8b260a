"""The SQLite engine's query, bounded as PostgreSQL's (``postgres_engine.search``, ``bounds``).

BM25 is what costs: FTS5 computes it reading each ranked row's sizes and phrase counts (measured
at 100,000 articles: ranking a common word's 50,000 French matches ~140 ms, merely reading their
ids a few ms). So each language's matches are read in rowid order up to a bound, and only bounded
candidates are ranked: every entry whose title or keywords match (the same MATCH restricted to
those columns), plus the first ``CANDIDATES`` others; one hit per article, the reader's language
first. When no language has ``CANDIDATES`` matches the candidates are all of them and the answer
is exact; otherwise a page past the candidates is answered by the exact ranking (after the
candidates' first articles as they rank them, so that walking the pages shows each once) and the
total is counted up to ``TOTAL_AHEAD`` past the page's first hit (``capped``).

Each language has its FTS5 tables (``sqlite_engine``): its entries', where the matches are read and
ranked, and its titles' and keywords', where the headings' candidates are; a prefix of few words is
read as those words, ranked as the prefix (as one word, when it begins one). An entry's rowid is
``2 × key + language bit``: ``rowid // 2`` is its article — the query needs no row of ``article_search``.
"""
from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.orm import Session

from . import bounds
from .query import Query
from .sqlite_engine import LANGUAGE_BIT, WEIGHTS, completions, heading_table, match_expression, table


def _bm25(lang: str) -> str:
    return f"bm25({table(lang)}, {', '.join(map(str, WEIGHTS))})"


def _matching(lang: str, conditions: str, name: str = "q", within=table) -> str:
    """One language's entries matching ``:name`` (and the filters), by rowid; ``within`` its
    headings' table, those whose title or keywords match."""
    return f"FROM {within(lang)} WHERE {within(lang)} MATCH :{name}{conditions}"


def _filters(filters) -> tuple[str, dict]:
    wanted, params = [], {}
    if filters.brand:
        wanted.append("brand = :brand")
        params["brand"] = filters.brand
    if filters.domain:
        wanted.append("domain = :domain")
        params["domain"] = filters.domain
    if not wanted:
        return "", params
    return f" AND rowid IN (SELECT id FROM article_search WHERE {' AND '.join(wanted)})", params


def search(session: Session, query: Query, filters, language: str, offset: int, limit: int):
    """A page of ranked hits ``[(id, score)]``, its total and whether the total is capped."""
    reader = language if language in LANGUAGE_BIT else "en"
    other = "fr" if reader == "en" else "en"
    texts = {lang: match_expression(query, lang) for lang in (reader, other)}
    if not texts[reader] or not texts[other]:
        return [], 0, False
    conditions, params = _filters(filters)
    asked = {lang: {**params, "q": texts[lang]} for lang in (reader, other)}
    reach = offset + max(bounds.TOTAL_AHEAD, limit)
    # The reader's matches read up to ``reach`` + 1 (a capped total's count), the other's up to
    # the candidates' bound; the first ``CANDIDATES`` of each are candidates, with the headings'.
    reading = {reader: max(reach + 1, bounds.CANDIDATES), other: bounds.CANDIDATES}
    sizes, scored = {}, {}
    for lang in (reader, other):
        # A prefix's few words asked for as such (``sqlite_engine.completions``): the same entries.
        known = completions(session, query, lang)
        chosen = match_expression(query, lang, known)
        if chosen is None:  # a prefix begins no word of the language
            sizes[lang], scored[lang] = 0, []
            continue
        selecting = {**params, "q": chosen}
        body = _ids(session, f"SELECT rowid {_matching(lang, conditions)} LIMIT {int(reading[lang])}", selecting)
        sizes[lang] = len(body)
        candidates = set(body[:bounds.CANDIDATES])
        if sizes[lang] >= bounds.CANDIDATES:  # else every match is a candidate already
            candidates.update(_ids(session, f"SELECT rowid {_matching(lang, conditions, within=heading_table)} "
                                            f"LIMIT {int(bounds.CANDIDATES)}", selecting))
        scored[lang] = _ranked(session, lang, candidates, {"q": match_expression(query, lang, known, ranking=True)})
    ranked = _one_per_article(scored[reader], scored[other])
    complete = {lang: sizes[lang] < bounds.CANDIDATES for lang in (reader, other)}
    if all(complete.values()):
        return ranked[offset:offset + limit], len(ranked), False
    # Beyond the candidates the reader's language leaves off (or, it complete, the other's): exact.
    within = bounds.CANDIDATES if not complete[reader] else len(ranked)
    if offset + limit > within:
        page = _beyond(session, ranked[:within], reader, other, conditions, asked, offset, limit)
    else:
        page = ranked[offset:offset + limit]
    if sizes[reader] > reach:
        return page, reach, True
    others = _others(session, reader, other, conditions, asked, reach + 1 - sizes[reader])
    return page, min(sizes[reader] + others, reach), sizes[reader] + others > reach


def _ids(session: Session, sql: str, params: dict) -> list[int]:
    return [row[0] for row in _rows(session, sql, params)]


def _rows(session: Session, sql: str, params: dict) -> list[tuple]:
    """The rows of ``sql`` as the DB-API cursor gives them, in the session's transaction: SQLAlchemy
    makes a row ~4 µs (measured: 3-4 ms of a query reading 1,500 ids and ranking 800 candidates)."""
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        return cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()


def _ranked(session: Session, lang: str, candidates: set[int], params: dict) -> list[tuple[int, float]]:
    """The candidates' BM25 (lower is better), computed for them alone: the MATCH walks its
    matches between the candidates' first and last rowids, ``+rowid IN`` keeping the candidates.
    (A bare ``rowid IN`` is handed to FTS5 as one lookup a candidate, each evaluating the whole
    MATCH again: measured 2.3 s for 500 candidates of a common word, against 10 ms.)"""
    if not candidates:
        return []
    return _rows(session, f"SELECT rowid, {_bm25(lang)} FROM {table(lang)} WHERE {table(lang)} "
                          f"MATCH :q AND rowid BETWEEN :first AND :last "
                          f"AND +rowid IN (SELECT value FROM json_each(:ids))",
                 {"q": params["q"], "ids": json.dumps(sorted(candidates)),
                  "first": min(candidates), "last": max(candidates)})


def _one_per_article(mine: list, theirs: list) -> list[tuple[int, float]]:
    """One hit per article: the reader's entries best first, then the other language's of the
    articles not among them; answered as a score that grows with relevance."""
    keys = {rowid // 2 for rowid, _ in mine}
    order = sorted(mine, key=lambda row: (row[1], row[0]))
    order += sorted((row for row in theirs if row[0] // 2 not in keys), key=lambda row: (row[1], row[0]))
    return [(rowid, -score) for rowid, score in order]


def _exact(session: Session, reader: str, other: str, conditions: str, asked: dict, count: int):
    """The first ``count`` hits of every match ranked (the statement before the bounds)."""
    found = []
    for lang in (reader, other):
        if len(found) >= count:
            break
        sql = f"SELECT rowid, {_bm25(lang)} AS score {_matching(lang, conditions)}"
        params = {**asked[lang], "limit": count - len(found)}
        if lang == other:  # the articles whose reader's entry matches are shown in it
            partner = LANGUAGE_BIT[reader] - LANGUAGE_BIT[other]
            sql += f" AND rowid + {partner} NOT IN (SELECT rowid {_matching(reader, '', 'r')})"
            params["r"] = asked[reader]["q"]
        rows = session.execute(text(sql + " ORDER BY score, rowid LIMIT :limit"), params).all()
        found += [(row[0], -row[1]) for row in rows]
    return found


def _beyond(session: Session, shown: list, reader: str, other: str, conditions: str, asked: dict,
            offset: int, limit: int):
    """A page reaching past the candidates' first articles (``shown``, as they rank them): then
    every other match as the exact ranking orders it — each article once, none missing."""
    seen = {rowid // 2 for rowid, _ in shown}
    rest = [hit for hit in _exact(session, reader, other, conditions, asked, offset + limit + len(seen))
            if hit[0] // 2 not in seen]
    return (shown + rest)[offset:offset + limit]


def _others(session: Session, reader: str, other: str, conditions: str, asked: dict, bound: int) -> int:
    """The other language's matches of articles the reader's does not match, counted to ``bound``."""
    partner = LANGUAGE_BIT[reader] - LANGUAGE_BIT[other]
    sql = (f"SELECT count(*) FROM (SELECT rowid {_matching(other, conditions)} AND rowid + {partner} NOT IN "
           f"(SELECT rowid {_matching(reader, '', 'r')}) LIMIT {int(bound)})")
    return session.execute(text(sql), {**asked[other], "r": asked[reader]["q"]}).scalar() or 0

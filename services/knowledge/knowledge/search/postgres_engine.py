"""The PostgreSQL engine: ``article_search.document``, a ``tsvector`` column the database computes
from the entry's texts (``portal_document``: elisions dropped, then the ``portal_en`` or ``portal_fr``
configuration, unaccent + Snowball without stop words; weights A title, B keywords, C body, D
attachments), and ``heading_document`` (the title and keywords alone), each under a GIN index per
language (partial); ranked by ``ts_rank`` among bounded candidates (migrations
0004_articles, 0007_search_tiers, 0008_search_keywords_tier)."""
from __future__ import annotations

from sqlalchemy import insert as insert_into, text
from sqlalchemy.orm import Session

from . import analysis
from .query import Query

CONFIGURATIONS = {"en": "portal_en", "fr": "portal_fr"}
WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"  # D, C, B, A
CANDIDATES = 500  # each language's matches ranked for a page (beyond: the exact statement)
TOTAL_AHEAD = 1_000  # a capped total counts this many matches past the page's first, as the news list


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


def _arm(lang: str, column: str, conditions: str, limit: int | None = None) -> str:
    """The ids of one language's entries whose ``column`` matches (under its partial GIN index)."""
    bound = f" LIMIT {int(limit)}" if limit is not None else ""
    return (f"SELECT s.id, s.article_id FROM article_search s WHERE s.language = '{lang}' "
            f"AND s.{column} @@ to_tsquery('{CONFIGURATIONS[lang]}', :q){conditions}{bound}")


def _filters(filters, params: dict) -> str:
    conditions = ""
    if filters.brand:
        conditions += " AND s.brand = :brand"
        params["brand"] = filters.brand
    if filters.domain:
        conditions += " AND s.domain = :domain"
        params["domain"] = filters.domain
    return conditions


# Both languages' hits ranked once, one per article, the reader's first (measured: counting and
# ranking each language apart reads every match's ``document`` three or four times — slower).
_RANKED = ("ranked AS (SELECT h.id, h.article_id, h.language, h.score, ROW_NUMBER() OVER ("
           "PARTITION BY h.article_id ORDER BY h.language = :reader DESC, h.score DESC) AS n FROM hits h) "
           "SELECT id, article_id, language, score, COUNT(*) OVER () AS total{} FROM ranked WHERE n = 1 "
           "ORDER BY language = :reader DESC, score DESC, article_id LIMIT :limit OFFSET :offset")


def _score(lang: str) -> str:
    return f"ts_rank('{WEIGHTS}', s.document, to_tsquery('{CONFIGURATIONS[lang]}', :q))"


def search(session: Session, query: Query, filters, language: str, offset: int, limit: int):
    """A page of ranked hits, its total and whether the total is capped.

    Ranking every match (and counting them exactly) reads every match's row: at 50,000 matches,
    ~47,000 heap pages. So the page is ranked among bounded candidates of each language: every
    entry whose title or keywords match (tier 1, ``heading_document``'s own small GIN), then up to
    ``CANDIDATES`` others (tier 2). When no language has more matches than that, the candidates are all the matches and
    the answer is exactly the full ranking's; otherwise a page within the candidates is answered
    from them, a page beyond by the exact statement, and the total is counted up to ``reach``.
    """
    expression = tsquery_text(query)
    if not expression:
        return [], 0, False
    reader = language if language in CONFIGURATIONS else "en"
    reach = offset + max(TOTAL_AHEAD, limit)
    params = {"reader": reader, "limit": limit, "offset": offset, "q": expression}
    conditions = _filters(filters, params)
    # The reader's matches are read up to ``reach`` + 1 (the count of a capped total, from the same
    # bitmap), the first ``CANDIDATES`` of them ranked; the other language's up to ``CANDIDATES``.
    bounds = {lang: max(reach + 1, CANDIDATES) if lang == reader else CANDIDATES for lang in analysis.LANGUAGES}
    bodies = ", ".join(f"body_{lang} AS MATERIALIZED ({_arm(lang, 'document', conditions, bounds[lang])})"
                       for lang in analysis.LANGUAGES)
    candidates = " UNION ".join(f"(SELECT id FROM body_{lang} LIMIT {CANDIDATES}) UNION "
                                f"SELECT id FROM ({_arm(lang, 'heading_document', conditions, CANDIDATES)}) t_{lang}"
                                for lang in analysis.LANGUAGES)
    hits = " UNION ALL ".join(
        f"SELECT s.id, s.article_id, s.language, {_score(lang)} AS score FROM article_search s "
        f"WHERE s.language = '{lang}' AND s.id IN (SELECT id FROM candidates)" for lang in analysis.LANGUAGES)
    counts = "".join(f", (SELECT count(*) FROM body_{lang}) AS size_{lang}" for lang in analysis.LANGUAGES)
    ranked = f"WITH {bodies}, candidates AS MATERIALIZED ({candidates}), hits AS ({hits}), " + _RANKED.format(counts)
    rows = _without_walk(session, ranked, params)
    if not rows:  # a page past the candidates' end (or nothing matches)
        counted = _without_walk(session, f"WITH {bodies} SELECT 0 AS total{counts}", params)
        sizes = {lang: getattr(counted[0], f"size_{lang}") for lang in analysis.LANGUAGES}
    else:
        sizes = {lang: getattr(rows[0], f"size_{lang}") for lang in analysis.LANGUAGES}
    complete = {lang: sizes[lang] < CANDIDATES for lang in analysis.LANGUAGES}
    if all(complete.values()):
        if not rows and offset:
            return [], _exact_total(session, conditions, params), False
        return [(row.id, float(row.score)) for row in rows], (rows[0].total if rows else 0), False
    # Beyond the candidates the reader's language leaves off (or, it complete, the other's): exact.
    within = CANDIDATES if not complete[reader] else (rows[0].total if rows else 0)
    if offset + limit > within:
        rows = _beyond(session, ranked, conditions, params, within, offset, limit)
    if sizes[reader] > reach:
        return [(row.id, float(row.score)) for row in rows], reach, True
    total, capped = _capped_total(session, reader, conditions, params, reach, sizes[reader])
    return [(row.id, float(row.score)) for row in rows], total, capped


def _beyond(session: Session, ranked: str, conditions: str, params: dict, within: int, offset: int, limit: int):
    """A page reaching past the candidates' first ``within`` articles: those first ones as the
    candidates rank them, then every other match as the exact statement ranks it — so that walking
    the pages shows each article once, none missing across the bound."""
    shown = _without_walk(session, ranked, {**params, "limit": within, "offset": 0})
    seen = {row.article_id for row in shown}
    rest = [row for row in session.execute(text(_exact(conditions)),
                                           {**params, "limit": offset + limit + len(seen), "offset": 0}).all()
            if row.article_id not in seen]
    return (list(shown) + rest)[offset:offset + limit]


def _without_walk(session: Session, sql: str, params: dict):
    """``sql``'s rows, the planner kept from walking the table. It cannot estimate a prefix's matches
    (it guesses a sixth of the rows) and then walks the table for the first 500, reading all of it
    when a language has none (measured: 235 ms); the partial GIN indexes answer in a few ms."""
    was = session.execute(text("SELECT current_setting('enable_seqscan')")).scalar()
    session.execute(text("SELECT set_config('enable_seqscan', 'off', true)"))
    try:
        return session.execute(text(sql), params).all()
    finally:
        session.execute(text("SELECT set_config('enable_seqscan', :was, true)"), {"was": was})


def _exact(conditions: str) -> str:
    """Every match ranked (the statement before the candidates; deep pages only)."""
    hits = " UNION ALL ".join(f"SELECT s.id, s.article_id, s.language, {_score(lang)} AS score "
                              f"FROM article_search s WHERE s.language = '{lang}' "
                              f"AND s.document @@ to_tsquery('{CONFIGURATIONS[lang]}', :q){conditions}"
                              for lang in analysis.LANGUAGES)
    return f"WITH hits AS ({hits}), " + _RANKED.format("")


def _exact_total(session: Session, conditions: str, params: dict) -> int:
    arms = " UNION ALL ".join(_arm(lang, "document", conditions) for lang in analysis.LANGUAGES)
    return session.execute(text(f"SELECT COUNT(DISTINCT article_id) FROM ({arms}) hits"), params).scalar() or 0


def _capped_total(session: Session, reader: str, conditions: str, params: dict, reach: int, mine: int):
    """The articles matching, counted at most to ``reach`` + 1: the reader's language's ``mine``
    entries, then the other language's of articles the reader's does not match. (total, capped)."""
    other = next(lang for lang in analysis.LANGUAGES if lang != reader)
    unmatched = (f" AND NOT EXISTS (SELECT 1 FROM article_search r WHERE r.article_id = s.article_id "
                 f"AND r.language = '{reader}' AND r.document @@ to_tsquery('{CONFIGURATIONS[reader]}', :q))")
    arm = _arm(other, "document", conditions + unmatched, reach + 1 - mine)
    others = session.execute(text(f"SELECT count(*) FROM ({arm}) o"), params).scalar() or 0
    return min(mine + others, reach), mine + others > reach

"""The PostgreSQL engine: ``article_search.document``, a ``tsvector`` of the entry's stems
(``portal_document``: elisions dropped, then the ``portal_en`` or ``portal_fr`` configuration,
unaccent + Snowball without stop words; weights A title, B keywords, C body, D attachments),
``words``, the same texts' words unstemmed (``portal_words``: the ``portal_simple`` configuration,
unaccent alone, the same weights), which ``word*`` prefixes match, and ``heading_document`` (the
title and keywords alone, stems and words), each under a GIN index per language (partial); ranked
by ``ts_rank`` among bounded candidates (migrations 0005_articles, 0007_search_tiers,
0008_search_keywords_tier, 0009_search_prefix_words; ``document``'s GIN also holds the entry's block
of ids, so that words' first matches come from the first blocks: 0011_search_id_ranges).

The three are plain columns the insert computes (``postgres_insert``), in the transaction of the
article's change: a published article is searchable as soon as the call returns."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from . import analysis, bounds
from .postgres_insert import CONFIGURATIONS, WORDS, insert  # noqa: F401 (the engine's insert)
from .query import Query

WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"  # D, C, B, A


def unindex(session: Session, article_ids: list[str]) -> None:
    from . import delete_rows
    delete_rows(session, article_ids)


def tsquery_text(query: Query) -> tuple[str, str]:
    """The ``to_tsquery`` texts, (stems, prefixes): each written word quoted (letters and digits
    only, the configuration folds it), words and phrases (``<->``) for the language's configuration
    (which stems them), prefixes with ``:*`` for ``portal_simple`` (matched against the words
    unstemmed: ``déclarat*`` finds "déclaration", stem ``declar``); each joined by ``&``."""
    stems, prefixes = [], []
    for item in query.terms:
        words = [word for word in item.words if word]
        if not words:
            continue
        if item.prefix:
            prefixes.append(f"'{words[0]}':*")
        elif len(words) == 1:
            stems.append(f"'{words[0]}'")
        else:
            stems.append("(" + " <-> ".join(f"'{word}'" for word in words) + ")")
    return " & ".join(stems), " & ".join(prefixes)


def _match(lang: str, params: dict, alias: str = "s") -> str:
    """An entry's texts match: its stems the words and phrases (``:q``), its words the prefixes (``:p``)."""
    parts = []
    if "q" in params:
        parts.append(f"{alias}.document @@ to_tsquery('{CONFIGURATIONS[lang]}', :q)")
    if "p" in params:
        parts.append(f"{alias}.words @@ to_tsquery('{WORDS}', :p)")
    return " AND ".join(parts)


def _heading_match(lang: str, params: dict) -> str:
    """The title or keywords match (tier 1): ``heading_document`` holds both their stems and words,
    so a prefix may find a stem there that no word begins (``sky*`` the title "Skies", stem ``sky``):
    the entry's words are checked too, row by row (``IS TRUE`` keeps the planner from their GIN,
    whose bitmap of a common prefix's matches is what this arm spares)."""
    parts = [f"to_tsquery('{CONFIGURATIONS[lang]}', :q)"] if "q" in params else []
    parts += [f"to_tsquery('{WORDS}', :p)"] if "p" in params else []
    match = f"s.heading_document @@ ({' && '.join(parts)})"
    if "p" in params:
        match += f" AND (s.words @@ to_tsquery('{WORDS}', :p)) IS TRUE"
    return match


def _arm(lang: str, match: str, conditions: str, limit: int | None = None, columns: str = "s.id, s.article_id") -> str:
    """The ids of one language's entries where ``match`` holds (under the partial GIN indexes)."""
    bound = f" LIMIT {int(limit)}" if limit is not None else ""
    return (f"SELECT {columns} FROM article_search s WHERE s.language = '{lang}' "
            f"AND {match}{conditions}{bound}")


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


def _score(lang: str, params: dict, alias: str = "s") -> str:
    """The stems' rank plus the prefixes' (the same weights: title > keywords > body > attachments)."""
    parts = []
    if "q" in params:
        parts.append(f"ts_rank('{WEIGHTS}', {alias}.document, to_tsquery('{CONFIGURATIONS[lang]}', :q))")
    if "p" in params:
        parts.append(f"ts_rank('{WEIGHTS}', {alias}.words, to_tsquery('{WORDS}', :p))")
    return " + ".join(parts)


def _ranked_columns(params: dict) -> str:
    """An arm's columns when its rows are ranked later: the ids and the vectors ``_score`` reads."""
    return ", ".join(["s.id", "s.article_id"] + [f"s.{column}" for key, column in (("q", "document"), ("p", "words"))
                                                 if key in params])


# A prefix matches every word it starts: often most of a language's entries (``déclarat*``: 90,741
# of 100,000). A GIN bitmap holds every match before the first row is read (measured: 27 ms for
# those 90,741, 6 more to sort its pages), when the first ``reading`` lie among the language's first
# entries. So a prefix's reader's language is first read in entry order, at most ``WINDOW`` ×
# ``reading`` entries (lazily: only until ``reading`` of them match), the GIN answering for the
# entries past the window when it holds fewer. A prefix matching few entries pays the whole window,
# ~6 µs an entry (its vector's TOAST read). Measured at 100,000, engine alone, p50 (load ~1), no
# window / 2 / 3: déclarat* 80 / 17 / 16 ms, reconcil* 80 / 19 / 19, mensu* (44% of the entries)
# 70 / 53 / 22, ann* 51 / 24 (2 / 3), kilom* (20 entries) 5 / 12 / 17. Words and phrases keep the
# bitmap: half the entries (the common word) already need a window of 2,000, as long to read as
# their bitmap (18 ms).
WINDOW = 3


# Words' first matches come first from their entries among the first ids, ``RANGE`` × ``reading`` of
# them at least, in blocks of ``BLOCK`` (``document``'s GIN holds each entry's block: migration
# 0011_search_id_ranges): the GIN intersects the words' postings with those blocks alone, skipping the
# rest, where the bitmap of all the matches costs in proportion to them. The GIN answers for the ids
# past the blocks only when they hold fewer than ``reading`` (lazily: ``UNION ALL`` under ``LIMIT``).
# The blocks' postings are read whole: the cost of a word with few matches (and of the other
# language, most often). Measured at 100,000 articles, engine p50 / p95 before → after, alternated
# request by request on the same fill (load 2.4): ``clients`` (50% of the entries) 16.0 / 24.7 →
# 6.9 / 11.3 ms, ``déclaration mensuelle`` (40%) 17.6 / 25.9 → 9.3 / 13.7, the rare word 2.2 / 3.8 →
# 3.5 / 6.4 (its blocks read in both languages); phrases and prefixes: the same statements. The ids
# themselves in the index rather than blocks: one entry a row, the rare word's 4,000 ids 0.48 ms
# against 0.27 for their blocks.
RANGE = 8
BLOCK = 1024  # ids a block: the index's expression (migration 0011_search_id_ranges)
_BLOCK = f"CAST(s.id / {BLOCK} AS bigint)"


def _ranged(lang: str, params: dict, conditions: str, reading: int, vectors: str) -> str:
    """``body_<lang>``'s matches: first those in the first blocks of ids, then the GIN's past them."""
    # The blocks below ``edge`` hold every id below the table's first (the primary key's first entry:
    # the languages' entries interleave) + ``RANGE`` × ``reading``. ``bigint``: btree_gin's int8 class
    # has no int8-int4 operators (the bound would be a filter, after the bitmap of every match).
    edge = f"CAST(((SELECT min(id) FROM article_search) + {int(RANGE * reading) + BLOCK - 1}) / {BLOCK} AS bigint)"
    first = _arm(lang, _match(lang, params), f"{conditions} AND {_BLOCK} < {edge}", reading, vectors)
    # ``s.id + 0``: no index serves it, so the GIN of the words alone answers past the blocks.
    past = _arm(lang, _match(lang, params), f"{conditions} AND s.id + 0 >= {edge} * {BLOCK}", None, vectors)
    return f"SELECT * FROM (({first}) UNION ALL ({past})) u LIMIT {int(reading)}"


def _rangeable(query: Query) -> bool:
    """Words alone are read first from the range of the first ids (``_ranged``). Not a prefix: the GIN
    collects its matches whole, the range or not. Nor a phrase: its matches are seldom many, and each
    is checked on its vector (positions), those in the range twice when the range holds too few
    (measured at 100,000: ``"mise à jour"``, 5% of the entries, engine p50 10.9 → 16.2 ms ranged)."""
    return all(not item.prefix and len([word for word in item.words if word]) <= 1 for item in query.terms)


def _body(lang: str, params: dict, conditions: str, reading: int, vectors: str, windowed: bool,
          ranged: bool) -> str:
    """The CTE ``body_<lang>``: up to ``reading`` of the language's matches (``_match``, the filters)
    with their ``vectors``, from the GIN (first among the first ids when ``ranged``: ``_ranged``), or
    first from the window of its first entries (a prefix)."""
    if not windowed:
        arm = (_ranged(lang, params, conditions, reading, vectors) if ranged
               else _arm(lang, _match(lang, params), conditions, reading, vectors))
        return f"body_{lang} AS MATERIALIZED ({arm})"
    # The window only when the titles and keywords match often (``heading_<lang>``, read anyway):
    # a prefix none of them holds is taken to be rare, and saved the window's reading (kilom*: 0 of
    # them; déclarat*, mensu*, ann*: 5,400 or more). Wrong, it costs its bitmap, as without a window.
    often = f"(SELECT count(*) FROM heading_{lang}) >= {max(bounds.CANDIDATES // 10, 1)}"
    # The window holds every entry (the filters apply with the match: a rare brand must not make it long).
    window = (f"window_{lang} AS MATERIALIZED (SELECT {vectors}, s.brand, s.domain FROM article_search s "
              f"WHERE s.language = '{lang}' ORDER BY s.id LIMIT {int(WINDOW * reading)})")
    inside = f"SELECT {vectors} FROM window_{lang} s WHERE {often} AND {_match(lang, params)}{conditions}"
    # ``s.id + 0``: no index serves it, so the GIN does (an index condition on ``id`` lets the planner
    # walk the primary key past the window, reading every entry when few match).
    past = _arm(lang, _match(lang, params), f"{conditions} AND s.id + 0 > "
                f"CASE WHEN {often} THEN (SELECT max(id) FROM window_{lang}) ELSE 0 END", None, vectors)
    return f"{window}, body_{lang} AS MATERIALIZED (SELECT * FROM ({inside} UNION ALL {past}) u LIMIT {int(reading)})"


def search(session: Session, query: Query, filters, language: str, offset: int, limit: int):
    """A page of ranked hits, its total and whether the total is capped.

    Ranking every match (and counting them exactly) reads every match's row: at 50,000 matches,
    ~47,000 heap pages. So the page is ranked among bounded candidates of each language: every
    entry whose title or keywords match (tier 1, ``heading_document``'s own small GIN), then up to
    ``CANDIDATES`` others (tier 2; ``bounds``, as SQLite's; for a prefix, the reader's language's
    first ones from its first entries, ``WINDOW``). When no language has more matches than
    that, the candidates are all the matches and the answer is exactly the full ranking's; otherwise
    a page within the candidates is answered from them, a page beyond by the exact statement, and
    the total is counted up to ``reach``.
    """
    stems, prefixes = tsquery_text(query)
    if not stems and not prefixes:
        return [], 0, False
    reader = language if language in CONFIGURATIONS else "en"
    reach = offset + max(bounds.TOTAL_AHEAD, limit)
    params = {"reader": reader, "limit": limit, "offset": offset}
    params.update({"q": stems} if stems else {})
    params.update({"p": prefixes} if prefixes else {})
    conditions = _filters(filters, params)
    # Each language's matches are read up to ``reach`` + 1 (the count of a capped total, from the
    # same bitmap), the first ``CANDIDATES`` of them ranked. The other language's too: when the
    # reader's are fewer, the total is theirs plus the other's of articles they do not match, all
    # counted by this statement (``_unmatched``).
    reading = max(reach + 1, bounds.CANDIDATES)
    other = next(lang for lang in analysis.LANGUAGES if lang != reader)
    # The arms carry the vectors their candidates are ranked on: ranked as read, with no second
    # lookup of each candidate by id (measured at 100,000: 500 to 1,000 primary key lookups a
    # search, half of them of the other language's arm, finding nothing).
    vectors = _ranked_columns(params)
    headings = ", ".join(f"heading_{lang} AS MATERIALIZED "
                         f"({_arm(lang, _heading_match(lang, params), conditions, bounds.CANDIDATES, vectors)})"
                         for lang in analysis.LANGUAGES)
    bodies = headings + ", " + ", ".join(
        _body(lang, params, conditions, reading, vectors, windowed=lang == reader and "p" in params,
              ranged=_rangeable(query)) for lang in analysis.LANGUAGES)
    # Each language's first ``CANDIDATES`` body matches and its heading matches (tier 1). An entry
    # in both is ranked twice alike: ``ranked`` keeps one row an article.
    hits = " UNION ALL ".join(
        f"SELECT b.id, b.article_id, '{lang}' AS language, {_score(lang, params, 'b')} AS score "
        f"FROM (SELECT * FROM body_{lang} LIMIT {bounds.CANDIDATES}) b UNION ALL "
        f"SELECT t.id, t.article_id, '{lang}', {_score(lang, params, 't')} FROM heading_{lang} t"
        for lang in analysis.LANGUAGES)
    counts = "".join(f", (SELECT count(*) FROM body_{lang}) AS size_{lang}" for lang in analysis.LANGUAGES)
    counts += _unmatched(reader, other, reach)
    ranked = f"WITH {bodies}, hits AS ({hits}), " + _RANKED.format(counts)
    rows = _without_walk(session, ranked, params)
    if not rows:  # a page past the candidates' end (or nothing matches)
        counted = _without_walk(session, f"WITH {bodies} SELECT 0 AS total{counts}", params)[0]
    else:
        counted = rows[0]
    sizes = {lang: getattr(counted, f"size_{lang}") for lang in analysis.LANGUAGES}
    complete = {lang: sizes[lang] < bounds.CANDIDATES for lang in analysis.LANGUAGES}
    if all(complete.values()):
        if not rows and offset:
            return [], _exact_total(session, conditions, params), False
        return [(row.id, float(row.score)) for row in rows], (rows[0].total if rows else 0), False
    # Beyond the candidates the reader's language leaves off (or, it complete, the other's): exact.
    within = bounds.CANDIDATES if not complete[reader] else (rows[0].total if rows else 0)
    if offset + limit > within:
        rows = _beyond(session, ranked, conditions, params, within, offset, limit)
    if sizes[reader] > reach:
        return [(row.id, float(row.score)) for row in rows], reach, True
    total = sizes[reader] + counted.unmatched
    return [(row.id, float(row.score)) for row in rows], min(total, reach), total > reach


def _beyond(session: Session, ranked: str, conditions: str, params: dict, within: int, offset: int, limit: int):
    """A page reaching past the candidates' first ``within`` articles: those first ones as the
    candidates rank them, then every other match as the exact statement ranks it — so that walking
    the pages shows each article once, none missing across the bound."""
    shown = _without_walk(session, ranked, {**params, "limit": within, "offset": 0})
    seen = {row.article_id for row in shown}
    rest = [row for row in session.execute(text(_exact(conditions, params)),
                                           {**params, "limit": offset + limit + len(seen), "offset": 0}).all()
            if row.article_id not in seen]
    return (list(shown) + rest)[offset:offset + limit]


def _without_walk(session: Session, sql: str, params: dict):
    """``sql``'s rows, the planner kept from walking the table. It cannot estimate a prefix's matches
    (it guesses a sixth of the rows) and then walks the table for the first 500, reading all of it
    when a language has none (measured: 235 ms); the partial GIN indexes answer in a few ms. The
    setting's value is read and changed by one statement (two round trips a search, not three)."""
    was = session.execute(text("SELECT current_setting('enable_seqscan'), "
                               "set_config('enable_seqscan', 'off', true)")).scalar()
    try:
        return session.execute(text(sql), params).all()
    finally:
        session.execute(text("SELECT set_config('enable_seqscan', :was, true)"), {"was": was})


def _exact(conditions: str, params: dict) -> str:
    """Every match ranked (the statement before the candidates; deep pages only)."""
    hits = " UNION ALL ".join(f"SELECT s.id, s.article_id, s.language, {_score(lang, params)} AS score "
                              f"FROM article_search s WHERE s.language = '{lang}' "
                              f"AND {_match(lang, params)}{conditions}"
                              for lang in analysis.LANGUAGES)
    return f"WITH hits AS ({hits}), " + _RANKED.format("")


def _exact_total(session: Session, conditions: str, params: dict) -> int:
    arms = " UNION ALL ".join(_arm(lang, _match(lang, params), conditions) for lang in analysis.LANGUAGES)
    return session.execute(text(f"SELECT COUNT(DISTINCT article_id) FROM ({arms}) hits"), params).scalar() or 0


def _unmatched(reader: str, other: str, reach: int) -> str:
    """The column ``unmatched``: when the reader's language's matches are all read (``reach`` or
    fewer, ``mine``), how many of the other language's read are of articles the reader's do not
    match. At most ``mine`` of the other's ``reach`` + 1 read are articles the reader's match, so
    ``mine`` + ``unmatched`` is the exact total when it is ``reach`` or less, and more than ``reach``
    when the total is. (Measured: the statement it replaces, the other's matches walked by
    ``article_id`` against the reader's, took 1.1 s for ``déclarat*`` read in English.)"""
    return (f", CASE WHEN (SELECT count(*) FROM body_{reader}) <= {int(reach)} THEN (SELECT count(*) "
            f"FROM body_{other} o WHERE o.article_id NOT IN (SELECT article_id FROM body_{reader})) END AS unmatched")

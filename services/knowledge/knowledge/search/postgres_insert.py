"""The PostgreSQL engine's insert: an entry's row with its ``document``, ``words`` and
``heading_document`` (``postgres_engine``), computed from the batch's rows in one statement
(``INSERT … SELECT`` over arrays of the batch)."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

CONFIGURATIONS = {"en": "portal_en", "fr": "portal_fr"}  # the stems' (migration 0005_articles)
WORDS = "portal_simple"  # the configuration of the unstemmed words (prefixes)

_COLUMNS = (("article_id", "text"), ("language", "text"), ("title", "text"), ("keywords", "text"),
            ("body", "text"), ("attachments", "text"), ("brand", "text"), ("domain", "text"),
            ("published_on", "date"))
_NAMES = ", ".join(name for name, _ in _COLUMNS)
# One statement for a batch: its rows unnested from one array per column, their tsvectors computed
# by the same SELECT, no ORM work per row. (Measured at 6,000 entries, three times: the generated
# columns cost the same as this SELECT's — to_tsvector's parsing is the cost, not where it runs.)
# ``heading_document`` is taken from the other two rather than parsed a third time: the title's and
# keywords' lexemes are ``document``'s and ``words``' A and B, at the positions a parse of
# ``title || ' ' || keywords`` gives them (``||`` shifts the keywords past the title's last position),
# unweighted as ``portal_heading_document`` left them — the same tsvector (compared on 10,000 entries
# and in test_knowledge_search_heading.py), ts_filter 0.16 s a 10,000 where the parse took 0.38 s.
# ``OFFSET 0`` keeps the planner from pulling a subquery up, which would compute each twice.
_HEADING = "setweight(ts_filter(document, '{a,b}') || ts_filter(words, '{a,b}'), 'D')"
# ``document`` and ``words`` are ``portal_document``'s and ``portal_words``' expressions (migrations
# 0005_articles, 0009_search_prefix_words), written out here so that each text's elisions are dropped
# once for both (``portal_unelide``, a regular expression over the whole text: ~14 µs an entry each
# time; measured by the server's CPU time, rebuilding 10,000 articles four times, alternated: 7.5 s
# → 7.2 against the functions); test_knowledge_search_vectors.py holds them to the functions.
_FIELDS = (("title", "A"), ("keywords", "B"), ("body", "C"), ("attachments", "D"))


def _vector(configuration: str) -> str:
    return " || ".join(f"setweight(to_tsvector({configuration}, u_{name}), '{weight}')" for name, weight in _FIELDS)


_STEMS = f"CAST(CASE WHEN language = 'fr' THEN '{CONFIGURATIONS['fr']}' ELSE '{CONFIGURATIONS['en']}' END AS regconfig)"
_INSERT = (f"INSERT INTO article_search ({_NAMES}, document, words, heading_document) "
           f"SELECT {_NAMES}, document, words, {_HEADING} FROM ("
           f"SELECT {_NAMES}, {_vector('stems')} AS document, {_vector(repr(WORDS))} AS words FROM ("
           f"SELECT {_NAMES}, {_STEMS} AS stems, "
           f"{', '.join(f'portal_unelide({name}) AS u_{name}' for name, _ in _FIELDS)} "
           f"FROM unnest({', '.join(f'CAST(:{name} AS {kind}[])' for name, kind in _COLUMNS)}) AS v({_NAMES}) "
           f"OFFSET 0) AS unelided OFFSET 0) AS computed")
BATCH = 2_000  # entries a statement (its arrays' size)


def insert(session: Session, items) -> None:
    """The entries' rows with their ``document``, ``words`` and ``heading_document``."""
    from . import row_values
    rows = [row_values(article_id, entry) for article_id, entry in items]
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        session.execute(text(_INSERT), {name: [row[name] for row in chunk] for name, _ in _COLUMNS})

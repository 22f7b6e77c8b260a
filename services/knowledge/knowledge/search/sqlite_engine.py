"""The SQLite engine: an FTS5 table per language (``article_search_en``, ``article_search_fr``,
rowid = ``article_search.id``) holding each entry's terms (``analysis``: elisions dropped, folded,
stemmed in the entry's language) and, in the ``*_words`` columns, the same words folded but
unstemmed, each marked ``_word``, which ``word*`` prefixes match (migrations
0009_search_prefix_words, 0010_search_tables_per_language); ranked by BM25 with the title weighing
most, then keywords, the body, the attachments — alike for words and prefixes. Beside each, the
title's and keywords' columns alone (``article_search_en_heading``…), which the candidates of every
page are read from (``sqlite_search``): in the whole table, a column filter ``{title keywords}``
walked every match's positions (two words, none of them in a heading: 11 ms). And the words
indexed, each language's (``article_search_vocabulary``, never pruned: a word no entry holds any
more matches nothing), which a prefix's few words are looked up in: FTS5 reads a prefix by merging
the whole doclist of every word it begins, in each statement and again for BM25's document count,
whereas the words asked for as such (``"_declaration" OR …``) are read as far as needed.

A table per language: a language's query walks its own terms only (one table of both walked the
other language's matches of a word to find none of its own, ~6-11 ms a statement at 100,000
articles) and BM25's document counts are the language's. The ``_`` mark keeps the words' terms
apart from the stems' (no stem holds a ``_``: ``analysis.split`` splits there): a word matches the
stems alone and a prefix the words alone without a column filter, which makes FTS5 read every
match's positions (measured: counting two words' matches 13.2 ms filtered, 5.1 ms not), and a
prefix no longer expands to the stems that begin so (``reconcil*`` read ``reconcil``'s doclist too).

An entry's id is ``2 × key + language`` (0 English, 1 French), ``key`` shared by the article's
two entries: the query ranks, keeps one entry per article and puts the reader's language first
from the FTS5 tables alone, without reading a row of ``article_search`` for each match (measured:
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
HEADING_FIELDS = FIELDS[:2] + WORD_FIELDS[:2]  # title, keywords: stems, then words
# Before each unstemmed word: FTS5 reads it as a letter of the term (``TOKENIZE``).
WORD_MARK = "_"
TOKENIZE = "unicode61 remove_diacritics 2 tokenchars '%s'" % WORD_MARK

LANGUAGE_BIT = {"en": 0, "fr": 1}
VOCABULARY = "article_search_vocabulary"
# A prefix beginning more words than this is asked for as a prefix (a longer OR, a longer text to
# parse; measured at 100,000 articles: c*, 18 French words, 613 ms a search as a prefix, 356 ms as
# the OR of its words — the ranking, which keeps the prefix, is most of the rest).
EXPANSION = 64


def table(language: str) -> str:
    """The FTS5 table of the entries in ``language``."""
    return f"article_search_{language}"


def heading_table(language: str) -> str:
    """The FTS5 table of the titles and keywords of the entries in ``language``."""
    return f"article_search_{language}_heading"


def insert(session: Session, items) -> None:
    """The entries' rows under their ids (one new key per article), then their terms in their
    language's FTS5 tables under the same rowids, and their words in the vocabulary. Writers on
    SQLite are serialised: the keys cannot collide."""
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
    driver = session.connection().exec_driver_sql
    for language in LANGUAGE_BIT:
        values = [{"id": row["id"], **fts_values(language, entry)}
                  for row, (_article_id, entry) in zip(rows, items) if entry.language == language]
        if values:
            driver(insert_statement(table(language), FIELDS + WORD_FIELDS), values)
            driver(insert_statement(heading_table(language), HEADING_FIELDS), values)
            remember_words(session, language, values)


def remember_words(session: Session, language: str, values: list[dict]) -> None:
    """The vocabulary gains the words of ``values`` (``fts_values``) it does not hold yet."""
    words = set()
    for value in values:
        for name in WORD_FIELDS:
            words.update(value[name].split())
    if words:
        session.execute(text(f"INSERT OR IGNORE INTO {VOCABULARY} (language, word) VALUES (:language, :word)"),
                        [{"language": language, "word": word} for word in words])


def insert_statement(name: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {name} (rowid, {', '.join(columns)}) VALUES (:id, {', '.join(':' + c for c in columns)})"


def fts_values(language: str, texts) -> dict:
    """An entry's FTS5 columns: each text's stems, then its unstemmed words, marked (``texts`` has
    the fields as attributes: an ``Entry`` or a row of ``article_search``)."""
    values = {}
    for name in FIELDS:
        values[name], words = analysis.indexed_and_plain(getattr(texts, name), language)
        values[f"{name}_words"] = marked(words)
    return values


def marked(words: str) -> str:
    """``analysis.plain``'s words (one space between each) as the ``*_words`` columns hold them."""
    return WORD_MARK + words.replace(" ", " " + WORD_MARK) if words else ""


def optimize(session: Session) -> None:
    """FTS5's ``optimize`` of each table (one b-tree a term: after a bulk load, fewer segments read)."""
    for name in [f(language) for language in LANGUAGE_BIT for f in (table, heading_table)]:
        session.execute(text(f"INSERT INTO {name}({name}) VALUES ('optimize')"))


def unindex(session: Session, article_ids: list[str]) -> None:
    from . import delete_rows
    ids = delete_rows(session, article_ids)
    for language, bit in LANGUAGE_BIT.items():
        mine = [{"id": i} for i in ids if i % 2 == bit]
        if mine:
            session.execute(text(f"DELETE FROM {table(language)} WHERE rowid = :id"), mine)
            session.execute(text(f"DELETE FROM {heading_table(language)} WHERE rowid = :id"), mine)


def match_expression(query: Query, language: str, known: dict | None = None, ranking: bool = False) -> str | None:
    """The FTS5 MATCH text (of either table): every term quoted (no FTS5 syntax can come from a
    reader), words and phrases as stems, prefixes as marked words (each found in its own columns
    alone: ``WORD_MARK``). With ``known`` (``completions``), a prefix beginning few words is asked
    for as those words — the same entries —, or, ``ranking``, only when it is one word: BM25 counts
    a prefix as one phrase, several words as several. None: no entry can match."""
    parts = []
    for words, prefix in stems(query, language):
        found = (known or {}).get(words[0]) if prefix else None
        if found == []:
            return None
        if found and ((len(found) == 1 and found[0].isascii()) or not ranking):
            parts.append("(%s)" % " OR ".join(f'"{word}"' for word in found))
        else:
            parts.append(f'"{WORD_MARK}{words[0]}"*' if prefix else '"%s"' % " ".join(words))
    return " AND ".join(parts)


def completions(session: Session, query: Query, language: str) -> dict[str, list[str] | None]:
    """Each prefix of ``query``: the words of ``language`` it begins, as the index holds them (None
    past ``EXPANSION``)."""
    found = {}
    for words, prefix in stems(query, language):
        low = WORD_MARK + words[0]
        # FTS5's tokenizer changes no letter ``analysis.fold`` leaves but 21 it reads as separators
        # (of 123,406 non-ASCII letters: SQLite's Unicode is older than Python's); a word holding
        # one is indexed as its part before it (a term that begins like the word: found alike),
        # then terms without the mark. An ASCII prefix is therefore begun by the same terms here
        # as in the index; another is left to FTS5.
        if prefix and low.isascii():
            # Code point order is UTF-8's, which SQLite compares: the words from low to its successor.
            rows = session.execute(text(f"SELECT word FROM {VOCABULARY} WHERE language = :language AND word >= :low "
                                        f"AND word < :high ORDER BY word LIMIT {EXPANSION + 1}"),
                                   {"language": language, "low": low, "high": low[:-1] + chr(ord(low[-1]) + 1)})
            matched = list(rows.scalars())
            found[words[0]] = matched if len(matched) <= EXPANSION else None
    return found


def search(session: Session, query: Query, filters, language: str, offset: int, limit: int):
    """(hits, total, capped): ``sqlite_search.search`` (the query side, a module of its own)."""
    from .sqlite_search import search as bounded
    return bounded(session, query, filters, language, offset, limit)

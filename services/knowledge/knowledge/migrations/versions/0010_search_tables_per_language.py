"""knowledge search on SQLite: an FTS5 table per language (``article_search_en``,
``article_search_fr``) in place of ``article_search_fts``, the unstemmed words marked ``_word``,
beside each its titles' and keywords' alone (``article_search_en_heading``…), and the words
indexed (``article_search_vocabulary``, which a prefix's few words are looked up in)
(knowledge.search.sqlite_engine says why: a language's query no longer walks the other's
matches, no query needs a column filter, a prefix of few words is no longer merged whole). All
are filled from ``article_search``; the downgrade gives back 0009's table, filled the same way.

PostgreSQL: nothing (its index is per language already).

Revision ID: 0010_search_tables_per_language
Revises: 0009_search_prefix_words
Create Date: 2026-12-04 19:00:00
"""
from alembic import op
from sqlalchemy import text


revision = '0010_search_tables_per_language'
down_revision = '0009_search_prefix_words'
branch_labels = None
depends_on = None

LANGUAGES = ("en", "fr")
FIELDS = ("title", "keywords", "body", "attachments")
COLUMNS = FIELDS + tuple(f"{name}_words" for name in FIELDS)
HEADING_COLUMNS = ("title", "keywords", "title_words", "keywords_words")
# As the engine's tables are made (knowledge.search.sqlite_engine.TOKENIZE, written out: a
# migration stays what it was when the engine changes).
TOKENIZE = "unicode61 remove_diacritics 2 tokenchars '_'"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        return
    for language in LANGUAGES:
        for table, columns in ((f"article_search_{language}", COLUMNS),
                               (f"article_search_{language}_heading", HEADING_COLUMNS)):
            op.execute(f"CREATE VIRTUAL TABLE {table} USING fts5({', '.join(columns)}, tokenize = \"{TOKENIZE}\")")
    op.execute("CREATE TABLE article_search_vocabulary (language VARCHAR(2) NOT NULL, word TEXT NOT NULL, "
               "PRIMARY KEY (language, word)) WITHOUT ROWID")
    for language in LANGUAGES:
        _fill(language, mark="_")
    op.execute("DROP TABLE article_search_fts")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        return
    op.execute(f"CREATE VIRTUAL TABLE article_search_fts USING fts5({', '.join(COLUMNS)}, "
               "tokenize = 'unicode61 remove_diacritics 2')")
    _fill(None, mark="")
    for language in LANGUAGES:
        op.execute(f"DROP TABLE article_search_{language}")
        op.execute(f"DROP TABLE article_search_{language}_heading")
    op.execute("DROP TABLE article_search_vocabulary")


def _fill(language: str | None, mark: str) -> None:
    """The tables of ``language`` (None: 0009's of all) filled with its entries of ``article_search``,
    their stems and their words (each after ``mark``)."""
    # The analysis the engine indexes with (imported here: the rows must be what it queries).
    from knowledge.search import analysis
    bind = op.get_bind()
    chosen = "WHERE language = :language" if language else ""
    rows = bind.execute(text(f"SELECT id, language, title, keywords, body, attachments FROM article_search "
                             f"{chosen}"), {"language": language}).all()
    tables = ({f"article_search_{language}": COLUMNS, f"article_search_{language}_heading": HEADING_COLUMNS}
              if language else {"article_search_fts": COLUMNS})
    inserts = [text(f"INSERT INTO {table} (rowid, {', '.join(columns)}) "
                    f"VALUES (:id, {', '.join(':' + name for name in columns)})") for table, columns in tables.items()]
    vocabulary = set()
    for start in range(0, len(rows), 500):
        values = []
        for row in rows[start:start + 500]:
            value = {"id": row.id}
            for name in FIELDS:
                value[name], words = analysis.indexed_and_plain(getattr(row, name), row.language)
                value[f"{name}_words"] = mark + words.replace(" ", " " + mark) if words else ""
                vocabulary.update(value[f"{name}_words"].split())
            values.append(value)
        for insert in inserts if values else ():
            bind.execute(insert, values)
    if language and vocabulary:
        bind.execute(text("INSERT INTO article_search_vocabulary (language, word) VALUES (:language, :word)"),
                     [{"language": language, "word": word} for word in sorted(vocabulary)])

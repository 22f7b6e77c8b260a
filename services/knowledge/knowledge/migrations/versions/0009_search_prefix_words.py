"""knowledge search: ``word*`` prefixes match the words unstemmed (a prefix longer than a word's
stem, ``déclarat*`` against ``declar``, found nothing), and PostgreSQL's tsvectors are computed by
the insert rather than generated row by row.

SQLite: the FTS5 table gains the ``*_words`` columns (each text folded, unstemmed); it is rebuilt
from ``article_search``. No FTS5 prefix index: measured at 20,000 entries, it made the inserts 2.5×
slower (1.29 → 3.17 s) and no prefix query faster (``de*`` 33/31 ms, ``dec*`` 11/16, ``reco*`` 8/14):
ranking the matches is the cost, not reading the terms of a prefix.

PostgreSQL: ``portal_simple`` (unaccent alone), a ``words`` tsvector (weighted as ``document``)
under a GIN index per language, ``heading_document`` holding the title's and keywords' words beside
their stems; the three plain columns, filled here for the existing rows
(knowledge.search.postgres_engine fills them for new ones).

Revision ID: 0009_search_prefix_words
Revises: 0008_search_keywords_tier
Create Date: 2026-12-03 07:00:00
"""
from alembic import op
from sqlalchemy import text


revision = '0009_search_prefix_words'
down_revision = '0008_search_keywords_tier'
branch_labels = None
depends_on = None

LANGUAGES = ("en", "fr")
FIELDS = ("title", "keywords", "body", "attachments")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_upgrade()
    else:
        _sqlite_table(FIELDS + tuple(f"{name}_words" for name in FIELDS))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_downgrade()
    else:
        _sqlite_table(FIELDS)


def _sqlite_table(columns: tuple[str, ...]) -> None:
    """The FTS5 table made again with ``columns``, filled from ``article_search``."""
    # The analysis the engine indexes with (imported here: the rebuilt rows must be what it queries).
    from knowledge.search import analysis
    bind = op.get_bind()
    op.execute("DROP TABLE article_search_fts")
    op.execute(f"CREATE VIRTUAL TABLE article_search_fts USING fts5({', '.join(columns)}, "
               "tokenize = 'unicode61 remove_diacritics 2')")
    rows = bind.execute(text("SELECT id, language, title, keywords, body, attachments FROM article_search")).all()
    insert = text(f"INSERT INTO article_search_fts (rowid, {', '.join(columns)}) "
                  f"VALUES (:id, {', '.join(':' + name for name in columns)})")
    for start in range(0, len(rows), 500):
        values = []
        for row in rows[start:start + 500]:
            value = {"id": row.id}
            for name in FIELDS:
                value[name], words = analysis.indexed_and_plain(getattr(row, name), row.language)
                if f"{name}_words" in columns:
                    value[f"{name}_words"] = words
            values.append(value)
        if values:
            bind.execute(insert, values)


_HEADING = """CREATE FUNCTION portal_heading_document(language text, title text, keywords text) RETURNS tsvector
               LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
               SELECT to_tsvector((CASE WHEN language = 'fr' THEN 'portal_fr' ELSE 'portal_en' END)::regconfig,
                                  portal_unelide(title || ' ' || keywords)){words} $$"""


def _postgresql_upgrade() -> None:
    op.execute("CREATE TEXT SEARCH CONFIGURATION portal_simple (COPY = simple)")
    op.execute("ALTER TEXT SEARCH CONFIGURATION portal_simple ALTER MAPPING FOR "
               "asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, "
               "hword_numpart WITH unaccent, simple")
    op.execute("""CREATE FUNCTION portal_words(title text, keywords text, body text, attachments text)
                   RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                   SELECT setweight(to_tsvector('portal_simple', portal_unelide(title)), 'A')
                       || setweight(to_tsvector('portal_simple', portal_unelide(keywords)), 'B')
                       || setweight(to_tsvector('portal_simple', portal_unelide(body)), 'C')
                       || setweight(to_tsvector('portal_simple', portal_unelide(attachments)), 'D') $$""")
    # Generated columns give way to plain ones (their GIN indexes go with them).
    op.execute("ALTER TABLE article_search DROP COLUMN heading_document, DROP COLUMN document")
    op.execute("DROP FUNCTION portal_heading_document(text, text, text)")
    op.execute(_HEADING.format(words=" || to_tsvector('portal_simple', portal_unelide(title || ' ' || keywords))"))
    op.execute("ALTER TABLE article_search ADD COLUMN document tsvector, ADD COLUMN words tsvector, "
               "ADD COLUMN heading_document tsvector")
    op.execute("UPDATE article_search SET document = portal_document(language, title, keywords, body, attachments), "
               "words = portal_words(title, keywords, body, attachments), "
               "heading_document = portal_heading_document(language, title, keywords)")
    _postgresql_indexes(("document", "words", "heading_document"))


def _postgresql_indexes(columns: tuple[str, ...]) -> None:
    names = {"document": "document", "words": "words", "heading_document": "heading"}
    for column in columns:
        for language in LANGUAGES:
            op.execute(f"CREATE INDEX ix_article_search_{names[column]}_{language} ON article_search "
                       f"USING gin ({column}) WHERE language = '{language}'")


def _postgresql_downgrade() -> None:
    op.execute("ALTER TABLE article_search DROP COLUMN heading_document, DROP COLUMN words, DROP COLUMN document")
    op.execute("DROP FUNCTION portal_heading_document(text, text, text)")
    op.execute(_HEADING.format(words=""))
    op.execute("DROP FUNCTION portal_words(text, text, text, text)")
    op.execute("DROP TEXT SEARCH CONFIGURATION portal_simple")
    op.execute("ALTER TABLE article_search ADD COLUMN document tsvector GENERATED ALWAYS AS "
               "(portal_document(language, title, keywords, body, attachments)) STORED, "
               "ADD COLUMN heading_document tsvector GENERATED ALWAYS AS "
               "(portal_heading_document(language, title, keywords)) STORED")
    _postgresql_indexes(("document", "heading_document"))

"""knowledge search (PostgreSQL): each language's ``document`` GIN index also holds the entry's
block of ids (``id / 1024``), so that words' first matches in entry order come from the first blocks
without the bitmap of all their matches (btree_gin; knowledge.search.postgres_engine._ranged).

Measured at 100,000 articles: the bitmap of ``clients`` (50,000 French matches) took 8.3 ms to build
and ~4.7 ms more to sort before its first row; ``déclaration & mensuelle`` (40,422) 44 ms under load;
the same words within the first 8,000 ids 0.8 and 1.3 ms. Blocks rather than ids: one entry of the
index a block, not one a row (the id itself: a rare word's 4,000 ids walked in 0.48 ms, their blocks
in 0.27). ``bigint``, an expression: the primary key cannot serve it (the planner would walk it,
reading each entry's vector), and btree_gin's int8 class is the one its bounds are written in.

The vectors and the body are compressed with lz4 rather than pglz where the server has it (an
entry's row passes the 2 kB past which PostgreSQL compresses its largest values): measured by the
server's CPU time, rebuilding 10,000 articles six times alternated, 6.94 → 6.57 s (median; every lz4
round below every pglz one). Rows written before keep pglz, read alike.

SQLite: nothing (FTS5 answers a word's first matches in rowid order already).

Revision ID: 0011_search_id_ranges
Revises: 0010_search_tables_per_language
Create Date: 2026-12-04 19:20:00
"""
from alembic import op


revision = '0011_search_id_ranges'
down_revision = '0010_search_tables_per_language'
branch_labels = None
depends_on = None

LANGUAGES = ("en", "fr")
COMPRESSED = ("document", "words", "heading_document", "body")


def _compression(method: str) -> None:
    op.execute("ALTER TABLE article_search " + ", ".join(f"ALTER COLUMN {column} SET COMPRESSION {method}"
                                                         for column in COMPRESSED))


def _has_lz4() -> bool:
    """The server is built with lz4 (the setting lists only the methods it has)."""
    return bool(op.get_bind().exec_driver_sql(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'").scalar())


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    if _has_lz4():
        _compression("lz4")
    # Kept on downgrade, as unaccent is: another schema's index may come to use it.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    for language in LANGUAGES:
        op.execute(f"DROP INDEX ix_article_search_document_{language}")
        op.execute(f"CREATE INDEX ix_article_search_document_{language} ON article_search "
                   f"USING gin ((CAST(id / 1024 AS bigint)), document) WHERE language = '{language}'")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _compression("default")
    for language in LANGUAGES:
        op.execute(f"DROP INDEX ix_article_search_document_{language}")
        op.execute(f"CREATE INDEX ix_article_search_document_{language} ON article_search "
                   f"USING gin (document) WHERE language = '{language}'")

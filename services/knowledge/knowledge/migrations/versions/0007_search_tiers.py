"""knowledge search on PostgreSQL: a title-only ``title_document`` (tier 1 of the bounded search) and
the GIN indexes split by language (partial), so a search reads no language index beside them

Revision ID: 0007_search_tiers
Revises: 0006_news_walks
Create Date: 2026-12-02 15:45:00
"""
from alembic import op


revision = '0007_search_tiers'
down_revision = '0006_news_walks'
branch_labels = None
depends_on = None

LANGUAGES = ("en", "fr")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite's FTS5 table is unchanged
    op.execute("""CREATE FUNCTION portal_title_document(language text, title text) RETURNS tsvector
                   LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                   SELECT to_tsvector((CASE WHEN language = 'fr' THEN 'portal_fr' ELSE 'portal_en' END)::regconfig,
                                      portal_unelide(title)) $$""")
    op.execute("ALTER TABLE article_search ADD COLUMN title_document tsvector GENERATED ALWAYS AS "
               "(portal_title_document(language, title)) STORED")
    op.execute("DROP INDEX ix_article_search_document")
    for language in LANGUAGES:
        op.execute(f"CREATE INDEX ix_article_search_document_{language} ON article_search USING gin (document) "
                   f"WHERE language = '{language}'")
        op.execute(f"CREATE INDEX ix_article_search_title_{language} ON article_search USING gin (title_document) "
                   f"WHERE language = '{language}'")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for language in LANGUAGES:
        op.execute(f"DROP INDEX ix_article_search_title_{language}")
        op.execute(f"DROP INDEX ix_article_search_document_{language}")
    op.execute("CREATE INDEX ix_article_search_document ON article_search USING gin (document)")
    op.execute("ALTER TABLE article_search DROP COLUMN title_document")
    op.execute("DROP FUNCTION portal_title_document(text, text)")

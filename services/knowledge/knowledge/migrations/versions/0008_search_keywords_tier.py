"""knowledge search on PostgreSQL: a keywords-only ``keywords_document`` under a GIN index per language
(partial), the keywords tier of the bounded search: an entry whose keywords match is a candidate
however many bodies match (title > keywords > body held for common words too)

Revision ID: 0008_search_keywords_tier
Revises: 0007_search_tiers
Create Date: 2026-12-02 20:25:00
"""
from alembic import op


revision = '0008_search_keywords_tier'
down_revision = '0007_search_tiers'
branch_labels = None
depends_on = None

LANGUAGES = ("en", "fr")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite ranks every match: no tiers
    # The title's function serves any one text: elisions dropped, the language's configuration.
    op.execute("ALTER TABLE article_search ADD COLUMN keywords_document tsvector GENERATED ALWAYS AS "
               "(portal_title_document(language, keywords)) STORED")
    for language in LANGUAGES:
        op.execute(f"CREATE INDEX ix_article_search_keywords_{language} ON article_search "
                   f"USING gin (keywords_document) WHERE language = '{language}'")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for language in LANGUAGES:
        op.execute(f"DROP INDEX ix_article_search_keywords_{language}")
    op.execute("ALTER TABLE article_search DROP COLUMN keywords_document")

"""users list search index (PostgreSQL only)

The users list searches names and addresses with ``LIKE '%word%'`` on one expression
(``directory.SEARCH_TEXT``); on PostgreSQL a pg_trgm GIN index on that same expression serves it.
SQLite has no such index: its files hold one installation's few thousand users.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 11:30:00
"""
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

SEARCH_TEXT = "lower(first_name || ' ' || last_name || ' ' || coalesce(email, ''))"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_users_search_trgm ON users USING gin (({SEARCH_TEXT}) gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_users_search_trgm")

"""news: the reader's list walks the published order (covering indexes for all kinds and for one kind);
the count indexes it no longer uses are dropped

Revision ID: 0006_news_walks
Revises: articles
Create Date: 2026-12-02 14:50:00
"""
from alembic import op


revision = '0006_news_walks'
down_revision = 'articles'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_news_items_id_reach', table_name='news_items')
    op.drop_index('ix_news_items_reach', table_name='news_items')
    op.drop_index('ix_news_items_published', table_name='news_items')
    op.create_index('ix_news_items_published', 'news_items', ['published_at', 'id', 'retired_at', 'targeted', 'kind'],
                    unique=False)
    op.create_index('ix_news_items_kind_published', 'news_items', ['kind', 'published_at', 'id', 'retired_at', 'targeted'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_news_items_kind_published', table_name='news_items')
    op.drop_index('ix_news_items_published', table_name='news_items')
    op.create_index('ix_news_items_published', 'news_items', ['published_at', 'id'], unique=False)
    op.create_index('ix_news_items_reach', 'news_items', ['retired_at', 'targeted', 'kind', 'published_at', 'id'],
                    unique=False)
    op.create_index('ix_news_items_id_reach', 'news_items', ['id', 'retired_at', 'targeted', 'kind', 'published_at'],
                    unique=False)

"""news items, their product and domain targets, and each user's last visit of the news

Revision ID: 0004_news
Revises: product_directory
Create Date: 2026-12-02 07:00:00
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0004_news'
down_revision = 'product_directory'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('news_items',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('title_fr', sa.String(length=200), nullable=False),
    sa.Column('body_fr', sa.Text(), nullable=False),
    sa.Column('excerpt_en', sa.String(length=300), nullable=False),
    sa.Column('excerpt_fr', sa.String(length=300), nullable=False),
    sa.Column('targeted', sa.Boolean(), nullable=False),
    sa.Column('published_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=64), nullable=False),
    sa.Column('retired_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('retired_by', sa.String(length=64), nullable=True),
    sa.CheckConstraint("kind IN ('general', 'product', 'event', 'legal', 'partner', 'help')", name=op.f('ck_news_items_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_items'))
    )
    op.create_index('ix_news_items_published', 'news_items', ['published_at', 'id'], unique=False)
    op.create_index('ix_news_items_reach', 'news_items', ['retired_at', 'targeted', 'kind', 'published_at', 'id'], unique=False)
    op.create_index('ix_news_items_id_reach', 'news_items', ['id', 'retired_at', 'targeted', 'kind', 'published_at'], unique=False)
    op.create_table('news_products',
    sa.Column('news_id', sa.String(length=32), nullable=False),
    sa.Column('product_code', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['news_id'], ['news_items.id'], name=op.f('fk_news_products_news_id_news_items')),
    sa.PrimaryKeyConstraint('news_id', 'product_code', name=op.f('pk_news_products'))
    )
    op.create_index('ix_news_products_code_news', 'news_products', ['product_code', 'news_id'], unique=False)
    op.create_table('news_domains',
    sa.Column('news_id', sa.String(length=32), nullable=False),
    sa.Column('preference', sa.String(length=120), nullable=False),
    sa.Column('domain', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['news_id'], ['news_items.id'], name=op.f('fk_news_domains_news_id_news_items')),
    sa.PrimaryKeyConstraint('news_id', 'preference', name=op.f('pk_news_domains'))
    )
    op.create_index('ix_news_domains_preference_news', 'news_domains', ['preference', 'news_id'], unique=False)
    op.create_table('news_visits',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('visited_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_news_visits'))
    )


def downgrade() -> None:
    op.drop_table('news_visits')
    op.drop_index('ix_news_domains_preference_news', table_name='news_domains')
    op.drop_table('news_domains')
    op.drop_index('ix_news_products_code_news', table_name='news_products')
    op.drop_table('news_products')
    op.drop_index('ix_news_items_id_reach', table_name='news_items')
    op.drop_index('ix_news_items_reach', table_name='news_items')
    op.drop_index('ix_news_items_published', table_name='news_items')
    op.drop_table('news_items')

"""the new-content mails: products and holdings (portalkit.product_directory), users' mail
preferences, publications, their deliveries and the daily digests

Revision ID: 0004_content_mails
Revises: 0003_service_holders
Create Date: 2026-12-02 07:00:00
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db
from portalkit.migrations import create_product_directory, drop_product_directory


revision = '0004_content_mails'
down_revision = '0003_service_holders'
branch_labels = None
depends_on = None


def _outgoing() -> list:
    return [
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('first_name', sa.String(length=100), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('claimed_by', sa.String(length=120), nullable=True),
        sa.Column('claimed_until', portalkit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    create_product_directory()
    op.create_table('mail_preferences',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('content_mails', sa.String(length=16), nullable=False),
    sa.Column('updated_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('content_publications',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('item_type', sa.String(length=16), nullable=False),
    sa.Column('item_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('service_code', sa.String(length=120), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('title_fr', sa.String(length=300), nullable=False),
    sa.Column('product_codes', sa.JSON(), nullable=False),
    sa.Column('domains', sa.JSON(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('correlation_id', sa.String(length=128), nullable=True),
    sa.Column('recorded_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expanded', sa.Boolean(), nullable=False),
    sa.Column('cursor_user_id', sa.String(length=64), nullable=False),
    sa.Column('cursor_company_id', sa.String(length=64), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('expanded_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_type', 'item_id', name='uq_content_publications_item')
    )
    op.create_index('ix_content_publications_expanded', 'content_publications', ['expanded', 'recorded_at'])
    op.create_table('content_deliveries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('publication_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('digest_id', sa.Integer(), nullable=True),
    *_outgoing(),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('publication_id', 'user_id', name='uq_content_deliveries_once')
    )
    op.create_index('ix_content_deliveries_queue', 'content_deliveries', ['state', 'mode', 'next_attempt_at', 'id'])
    op.create_index('ix_content_deliveries_user', 'content_deliveries', ['user_id', 'state'])
    op.create_index('ix_content_deliveries_digest_id', 'content_deliveries', ['digest_id'])
    op.create_table('content_digests',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    *_outgoing(),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'day', name='uq_content_digests_user_day')
    )
    op.create_index('ix_content_digests_queue', 'content_digests', ['state', 'next_attempt_at', 'id'])


def downgrade() -> None:
    op.drop_index('ix_content_digests_queue', table_name='content_digests')
    op.drop_table('content_digests')
    op.drop_index('ix_content_deliveries_digest_id', table_name='content_deliveries')
    op.drop_index('ix_content_deliveries_user', table_name='content_deliveries')
    op.drop_index('ix_content_deliveries_queue', table_name='content_deliveries')
    op.drop_table('content_deliveries')
    op.drop_index('ix_content_publications_expanded', table_name='content_publications')
    op.drop_table('content_publications')
    op.drop_table('mail_preferences')
    drop_product_directory()

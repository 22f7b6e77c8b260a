"""feed links: each user's secret links to the feeds calendar apps read (release calendar), kept
as the SHA-256 of their secret

Revision ID: 0009_feed_links
Revises: 0008_documents
Create Date: 2026-12-02 07:00:00
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0009_feed_links'
down_revision = '0008_documents'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feed_links',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_read_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_links')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_feed_links_secret_hash')),
    sa.UniqueConstraint('user_id', 'purpose', name='uq_feed_links_user_purpose')
    )


def downgrade() -> None:
    op.drop_table('feed_links')

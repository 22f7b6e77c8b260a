"""releases offered for download, who downloaded them, the release calendar

Revision ID: 0006_downloads
Revises: 0005_inventory
Create Date: 2026-12-02 00:40:00
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0006_downloads'
down_revision = '0005_inventory'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('releases',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('product_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('released_on', sa.Date(), nullable=False),
    sa.Column('notes_en', sa.Text(), nullable=False),
    sa.Column('notes_fr', sa.Text(), nullable=False),
    sa.Column('file_key', sa.String(length=200), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('retired_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("channel IN ('stable', 'prerelease')", name=op.f('ck_releases_channel')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_releases_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_releases')),
    sa.UniqueConstraint('product_id', 'version', name='uq_releases_product_version')
    )
    with op.batch_alter_table('releases', schema=None) as batch_op:
        batch_op.create_index('ix_releases_product_released', ['product_id', 'released_on'], unique=False)
    op.create_table('release_downloads',
    sa.Column('release_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=True),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.Column('first_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'], name=op.f('fk_release_downloads_release_id_releases')),
    sa.PrimaryKeyConstraint('release_id', 'user_id', name=op.f('pk_release_downloads'))
    )
    with op.batch_alter_table('release_downloads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_downloads_user_id'), ['user_id'], unique=False)
    op.create_table('release_calendar',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('product_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('forecast_on', sa.Date(), nullable=False),
    sa.Column('released_on', sa.Date(), nullable=True),
    sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_release_calendar_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_calendar')),
    sa.UniqueConstraint('product_id', 'version', name='uq_release_calendar_product_version')
    )
    with op.batch_alter_table('release_calendar', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_calendar_product_id'), ['product_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('release_calendar', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_calendar_product_id'))
    op.drop_table('release_calendar')
    with op.batch_alter_table('release_downloads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_downloads_user_id'))
    op.drop_table('release_downloads')
    with op.batch_alter_table('releases', schema=None) as batch_op:
        batch_op.drop_index('ix_releases_product_released')
    op.drop_table('releases')

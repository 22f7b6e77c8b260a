"""the holders of "Notification on new updates for download", per company

Revision ID: 0002_update_watchers
Revises: 0001
Create Date: 2026-12-02 00:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_update_watchers'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('update_watchers',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'company_id')
    )
    with op.batch_alter_table('update_watchers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_update_watchers_company_id'), ['company_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('update_watchers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_update_watchers_company_id'))
    op.drop_table('update_watchers')

"""the declarant accounts' company and role, whom a filing's later mails and reminders go to

Revision ID: 0006_declarant_companies
Revises: 0005_declarants
Create Date: 2026-12-02 20:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_declarant_companies'
down_revision = '0005_declarants'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('declarants') as batch:
        batch.add_column(sa.Column('company_id', sa.String(length=64), nullable=False, server_default=''))
        batch.add_column(sa.Column('role', sa.String(length=16), nullable=False, server_default='declarant'))
    op.create_index('ix_declarants_company', 'declarants', ['company_id'])


def downgrade() -> None:
    op.drop_index('ix_declarants_company', table_name='declarants')
    with op.batch_alter_table('declarants') as batch:
        batch.drop_column('role')
        batch.drop_column('company_id')

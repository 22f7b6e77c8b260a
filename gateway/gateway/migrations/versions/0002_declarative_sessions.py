"""declarative sessions

A session of the Etafi declarative portal (scope ``declarative``) names the declarant's role and
the companies it declares for (``sessions.declarant_role``, ``sessions.entity_ids``).

Revision ID: 0002_declarative_sessions
Revises: 0001
Create Date: 2026-12-02 15:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_declarative_sessions'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('declarant_role', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('entity_ids', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('entity_ids')
        batch_op.drop_column('declarant_role')

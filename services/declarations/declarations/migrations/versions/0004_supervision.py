"""the supervisor's table: a subsidiary's latest deposit per obligation and period found by index

Revision ID: 0004
Revises: 0003
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_deposits_entity_obligation_period', 'deposits',
                    ['entity_id', 'obligation', 'period_end', 'deposited_at'], unique=False)
    op.create_index('ix_entities_closing', 'entities', ['closing'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_entities_closing', table_name='entities')
    op.drop_index('ix_deposits_entity_obligation_period', table_name='deposits')

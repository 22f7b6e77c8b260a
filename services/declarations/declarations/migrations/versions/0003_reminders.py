"""the deadlines' reminders, each written once per entity, obligation, period and threshold

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reminders',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('entity_id', sa.String(length=64), nullable=False),
                    sa.Column('obligation', sa.String(length=20), nullable=False),
                    sa.Column('period_end', sa.Date(), nullable=False),
                    sa.Column('days', sa.Integer(), nullable=False),
                    sa.Column('due_on', sa.Date(), nullable=False),
                    sa.Column('sent_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
                    sa.UniqueConstraint('entity_id', 'obligation', 'period_end', 'days',
                                        name='uq_reminders_entity_obligation_period_days'))


def downgrade() -> None:
    op.drop_table('reminders')

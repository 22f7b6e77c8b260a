"""transmission through the EDI partner, the timeline's sources and codes, the associates tree
and the entities' fiscal profile

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('closing', sa.String(length=5), nullable=False, server_default='12-31'))
        batch_op.add_column(sa.Column('obligations', sa.String(length=100), nullable=False,
                                      server_default='liasse,cvae,vat'))
        batch_op.create_index(batch_op.f('ix_entities_parent_id'), ['parent_id'], unique=False)

    with op.batch_alter_table('deposits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('obligation', sa.String(length=20), nullable=False, server_default='liasse'))
        batch_op.add_column(sa.Column('partner_reference', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_attempt_at', portalkit.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('transmitted_at', portalkit.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_at', portalkit.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('simulation', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('codes', sa.String(length=200), nullable=False, server_default=''))
        batch_op.create_index('ix_deposits_status_next_attempt', ['status', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('deposit_steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=20), nullable=False, server_default='portal'))
        batch_op.add_column(sa.Column('code', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('detail', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('simulation', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('report_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_deposit_steps_deposit_report', ['deposit_id', 'report_id'])


def downgrade() -> None:
    with op.batch_alter_table('deposit_steps', schema=None) as batch_op:
        batch_op.drop_constraint('uq_deposit_steps_deposit_report', type_='unique')
        for column in ('report_id', 'simulation', 'detail', 'code', 'source'):
            batch_op.drop_column(column)
    with op.batch_alter_table('deposits', schema=None) as batch_op:
        batch_op.drop_index('ix_deposits_status_next_attempt')
        for column in ('codes', 'simulation', 'acknowledged_at', 'transmitted_at', 'next_attempt_at',
                       'attempts', 'partner_reference', 'obligation'):
            batch_op.drop_column(column)
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entities_parent_id'))
        for column in ('obligations', 'closing', 'parent_id'):
            batch_op.drop_column(column)

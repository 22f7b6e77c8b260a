"""contracts say whether they name their holdings

Revision ID: 0005_inventory
Revises: 0004
Create Date: 2026-12-02 00:45:00

Coverage tests ``contracts.names_holdings`` instead of the absence of ``contract_holdings`` rows:
PostgreSQL answered that NOT EXISTS by hashing the whole table on every inventory listing.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_inventory'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('names_holdings', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute("UPDATE contracts SET names_holdings = EXISTS "
               "(SELECT 1 FROM contract_holdings WHERE contract_holdings.contract_id = contracts.id)")


def downgrade() -> None:
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_column('names_holdings')

"""disabled operators

An operator may disable another (``users.disabled_at``): sign-in refuses them from then on.

Revision ID: 0007_operator_disabled
Revises: contacts_access_requests
Create Date: 2026-12-01 23:50:00
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0007_operator_disabled'
down_revision = 'contacts_access_requests'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disabled_at', portalkit.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('disabled_at')

"""import previews

A dry run is kept as an import of status ``preview`` until ``user_imports.expires_at``, when it
may be started by its id.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:00:00
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', portalkit.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM user_imports WHERE status IN ('preview', 'expired')")
    with op.batch_alter_table('user_imports', schema=None) as batch_op:
        batch_op.drop_column('expires_at')

"""outbox causation

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 20:30:00
"""
from portalkit.migrations import add_outbox_causation, drop_outbox_causation

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_causation()


def downgrade() -> None:
    drop_outbox_causation()

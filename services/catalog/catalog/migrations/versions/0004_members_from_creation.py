"""members known from their creation: activated_at, updated_by_event_at

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:00:00
"""
from portalkit.migrations import add_member_activation, drop_member_activation

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_member_activation()


def downgrade() -> None:
    drop_member_activation()

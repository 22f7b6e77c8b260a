"""identifier changes (the serialization form's requests) and the holdings each names; identity's
users (members) whom their decisions are mailed to

Revision ID: 0007_serialization
Revises: 0006_downloads
Create Date: 2026-12-02 00:50:00
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0007_serialization'
down_revision = '0006_downloads'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('identifier_changes',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=False),
    sa.Column('requested_by', sa.String(length=64), nullable=False),
    sa.Column('requester_language', sa.String(length=5), nullable=False),
    sa.Column('new_machine_id', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'approved', 'refused')", name=op.f('ck_identifier_changes_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identifier_changes'))
    )
    op.create_index(op.f('ix_identifier_changes_company_id'), 'identifier_changes', ['company_id'], unique=False)
    op.create_index('ix_identifier_changes_status_time', 'identifier_changes', ['status', 'requested_at'], unique=False)
    op.create_table('identifier_change_holdings',
    sa.Column('change_id', sa.String(length=32), nullable=False),
    sa.Column('holding_id', sa.String(length=32), nullable=False),
    sa.Column('previous_machine_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['change_id'], ['identifier_changes.id'], name=op.f('fk_identifier_change_holdings_change_id_identifier_changes')),
    sa.ForeignKeyConstraint(['holding_id'], ['holdings.id'], name=op.f('fk_identifier_change_holdings_holding_id_holdings')),
    sa.PrimaryKeyConstraint('change_id', 'holding_id', name=op.f('pk_identifier_change_holdings'))
    )
    op.create_index(op.f('ix_identifier_change_holdings_holding_id'), 'identifier_change_holdings', ['holding_id'], unique=False)
    op.create_table('members',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('activated_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_by_event_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_members'))
    )
    op.create_index(op.f('ix_members_company_id'), 'members', ['company_id'], unique=False)
    op.create_table('forgotten_members',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('forgotten_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_forgotten_members'))
    )


def downgrade() -> None:
    op.drop_table('forgotten_members')
    op.drop_index(op.f('ix_members_company_id'), table_name='members')
    op.drop_table('members')
    op.drop_index(op.f('ix_identifier_change_holdings_holding_id'), table_name='identifier_change_holdings')
    op.drop_table('identifier_change_holdings')
    op.drop_index('ix_identifier_changes_status_time', table_name='identifier_changes')
    op.drop_index(op.f('ix_identifier_changes_company_id'), table_name='identifier_changes')
    op.drop_table('identifier_changes')

"""the planning of services: interventions (on-site services and trainings); the users' secret
links to their planning's iCalendar feed are feed links (0009_feed_links) of purpose 'planning'

Revision ID: 0010_planning
Revises: 0009_feed_links
Create Date: 2026-12-02 06:50:00
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0010_planning'
down_revision = '0009_feed_links'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('interventions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('starts_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=True),
    sa.Column('meeting_url', sa.String(length=500), nullable=True),
    sa.Column('access_code', sa.String(length=100), nullable=True),
    sa.Column('consultant', sa.String(length=200), nullable=True),
    sa.Column('order_number', sa.String(length=64), nullable=True),
    sa.Column('recipient_id', sa.String(length=64), nullable=False),
    sa.Column('contact_id', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('cancellation_reason', sa.Text(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('updated_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('on_site', 'training')", name=op.f('ck_interventions_kind')),
    sa.CheckConstraint("status IN ('planned', 'cancelled')", name=op.f('ck_interventions_status')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_interventions_span')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interventions'))
    )
    op.create_index('ix_interventions_recipient_starts', 'interventions', ['recipient_id', 'starts_at'], unique=False)
    op.create_index('ix_interventions_contact_starts', 'interventions', ['contact_id', 'starts_at'], unique=False)
    op.create_index('ix_interventions_company_starts', 'interventions', ['company_id', 'starts_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_interventions_company_starts', table_name='interventions')
    op.drop_index('ix_interventions_contact_starts', table_name='interventions')
    op.drop_index('ix_interventions_recipient_starts', table_name='interventions')
    op.drop_table('interventions')

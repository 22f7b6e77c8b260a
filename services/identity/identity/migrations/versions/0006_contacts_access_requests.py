"""contacts and access requests

The company's interlocutor roles (``contact_roles``), the read-model of the users' interest
subscriptions (``interest_subscriptions``), and access requests (``access_requests``).

Revision ID: contacts_access_requests
Revises: 0005
Create Date: 2026-12-01 23:50:00
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = 'contacts_access_requests'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contact_roles',
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('company_id', sa.String(length=32), nullable=False),
    sa.Column('named_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role')
    )
    with op.batch_alter_table('contact_roles', schema=None) as batch_op:
        batch_op.create_index('ix_contact_roles_company_role', ['company_id', 'role'], unique=False)
        batch_op.create_index('uq_contact_roles_main_contact', ['company_id'], unique=True,
                              sqlite_where=sa.text("role = 'main_contact'"),
                              postgresql_where=sa.text("role = 'main_contact'"))

    op.create_table('interest_subscriptions',
    sa.Column('subscription_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=False),
    sa.Column('service_id', sa.String(length=64), nullable=False),
    sa.Column('service_code', sa.String(length=100), nullable=False),
    sa.Column('service_title', sa.String(length=200), nullable=False),
    sa.Column('granted_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('subscription_id')
    )
    with op.batch_alter_table('interest_subscriptions', schema=None) as batch_op:
        batch_op.create_index('ix_interest_subscriptions_company', ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interest_subscriptions_user_id'), ['user_id'], unique=False)

    op.create_table('access_requests',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('company_text', sa.String(length=200), nullable=False),
    sa.Column('company_id', sa.String(length=32), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('routed_to', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('access_requests', schema=None) as batch_op:
        batch_op.create_index('ix_access_requests_email', ['email'], unique=False)
        batch_op.create_index('ix_access_requests_status_company', ['status', 'company_id', 'created_at'],
                              unique=False)


def downgrade() -> None:
    op.drop_table('access_requests')
    op.drop_table('interest_subscriptions')
    op.drop_table('contact_roles')

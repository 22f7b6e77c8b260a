"""declarants of the Etafi declarative portal

A company's SIREN (``companies.siren``, unique); declarant accounts (``declarants``), their
password links (``declarant_tokens``) and sign-in audits (``declarative_sign_in_audits``); the
read-model of who holds the declarative services (``declarative_holdings``).

Revision ID: 0008_declarants
Revises: 0007_operator_disabled
Create Date: 2026-12-02 15:00:00
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0008_declarants'
down_revision = '0007_operator_disabled'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('siren', sa.String(length=9), nullable=True))
        batch_op.create_unique_constraint('uq_companies_siren', ['siren'])

    op.create_table('declarants',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('company_id', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('password_changed_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('failed_sign_ins', sa.Integer(), nullable=False),
    sa.Column('locked_until', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_sign_in_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('issued_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id']),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('login')
    )
    with op.batch_alter_table('declarants', schema=None) as batch_op:
        batch_op.create_index('ix_declarants_company_login', ['company_id', 'login'], unique=False)
        batch_op.create_index(batch_op.f('ix_declarants_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_declarants_user_id'), ['user_id'], unique=False)

    op.create_table('declarant_tokens',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('declarant_id', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['declarant_id'], ['declarants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('declarant_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declarant_tokens_declarant_id'), ['declarant_id'], unique=False)

    op.create_table('declarative_sign_in_audits',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('declarant_id', sa.String(length=32), nullable=False),
    sa.Column('occurred_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('ip_address', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['declarant_id'], ['declarants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('declarative_sign_in_audits', schema=None) as batch_op:
        batch_op.create_index('ix_declarative_audits_declarant_time', ['declarant_id', 'occurred_at'], unique=False)

    op.create_table('declarative_holdings',
    sa.Column('subscription_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=False),
    sa.Column('service_code', sa.String(length=100), nullable=False),
    sa.Column('granted_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('subscription_id')
    )
    with op.batch_alter_table('declarative_holdings', schema=None) as batch_op:
        batch_op.create_index('ix_declarative_holdings_user', ['user_id', 'service_code'], unique=False)


def downgrade() -> None:
    op.drop_table('declarative_holdings')
    op.drop_table('declarative_sign_in_audits')
    op.drop_table('declarant_tokens')
    op.drop_table('declarants')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_constraint('uq_companies_siren', type_='unique')
        batch_op.drop_column('siren')

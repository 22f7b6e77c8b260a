"""the holders of every watched service per company (was: of the new-updates notification only)

Revision ID: 0003_service_holders
Revises: 0002_update_watchers
Create Date: 2026-12-02 07:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_service_holders'
down_revision = '0002_update_watchers'
branch_labels = None
depends_on = None

NEW_UPDATES = "notification-on-new-updates-for-download"


def upgrade() -> None:
    op.create_table('service_holders',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=False),
    sa.Column('service_code', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'company_id', 'service_code')
    )
    op.create_index('ix_service_holders_service_company', 'service_holders', ['service_code', 'company_id'])
    # The holders of the new-updates notification kept so far stay told.
    op.execute(sa.text(
        "INSERT INTO service_holders (user_id, company_id, service_code, email, first_name, last_name, language) "
        "SELECT user_id, company_id, :code, email, first_name, last_name, language FROM update_watchers"
    ).bindparams(code=NEW_UPDATES))
    with op.batch_alter_table('update_watchers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_update_watchers_company_id'))
    op.drop_table('update_watchers')


def downgrade() -> None:
    op.create_table('update_watchers',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'company_id')
    )
    with op.batch_alter_table('update_watchers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_update_watchers_company_id'), ['company_id'], unique=False)
    op.execute(sa.text(
        "INSERT INTO update_watchers (user_id, company_id, email, first_name, last_name, language) "
        "SELECT user_id, company_id, email, first_name, last_name, language FROM service_holders "
        "WHERE service_code = :code").bindparams(code=NEW_UPDATES))
    op.drop_index('ix_service_holders_service_company', table_name='service_holders')
    op.drop_table('service_holders')

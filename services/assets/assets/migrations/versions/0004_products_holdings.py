"""products, holdings, what each contract covers, serialization codes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 00:35:00
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('products',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_fr', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('brand', sa.String(length=100), nullable=False),
    sa.Column('domain', sa.String(length=100), nullable=False),
    sa.Column('serializable', sa.Boolean(), nullable=False),
    sa.Column('major_version', sa.Integer(), nullable=True),
    sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('retired_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('software', 'hardware')", name=op.f('ck_products_kind')),
    sa.CheckConstraint('major_version IS NULL OR major_version >= 0', name=op.f('ck_products_major_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('code', name=op.f('uq_products_code'))
    )
    op.create_table('holdings',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=False),
    sa.Column('product_id', sa.String(length=32), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('machine_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('removed_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_holdings_quantity')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_holdings_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holdings'))
    )
    with op.batch_alter_table('holdings', schema=None) as batch_op:
        batch_op.create_index('ix_holdings_company_machine', ['company_id', 'machine_id'], unique=False)
        batch_op.create_index('ix_holdings_company_product', ['company_id', 'product_id'], unique=False)
    op.create_table('contract_holdings',
    sa.Column('contract_id', sa.String(length=32), nullable=False),
    sa.Column('holding_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_holdings_contract_id_contracts')),
    sa.ForeignKeyConstraint(['holding_id'], ['holdings.id'], name=op.f('fk_contract_holdings_holding_id_holdings')),
    sa.PrimaryKeyConstraint('contract_id', 'holding_id', name=op.f('pk_contract_holdings'))
    )
    with op.batch_alter_table('contract_holdings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_holdings_holding_id'), ['holding_id'], unique=False)
    op.create_table('serialization_codes',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('holding_id', sa.String(length=32), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=False),
    sa.Column('product_id', sa.String(length=32), nullable=False),
    sa.Column('machine_id', sa.String(length=64), nullable=False),
    sa.Column('major_version', sa.Integer(), nullable=True),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('issued_by', sa.String(length=64), nullable=True),
    sa.Column('revoked_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['holding_id'], ['holdings.id'], name=op.f('fk_serialization_codes_holding_id_holdings')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_serialization_codes_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_serialization_codes'))
    )
    with op.batch_alter_table('serialization_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_serialization_codes_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_serialization_codes_holding_id'), ['holding_id'], unique=False)


def downgrade() -> None:
    op.drop_table('serialization_codes')
    op.drop_table('contract_holdings')
    op.drop_table('holdings')
    op.drop_table('products')

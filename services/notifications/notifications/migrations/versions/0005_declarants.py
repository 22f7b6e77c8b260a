"""the declarant accounts, whom the mail of a deposit goes to

Revision ID: 0005_declarants
Revises: 0004_content_mails
Create Date: 2026-12-02 16:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_declarants'
down_revision = '0004_content_mails'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('declarants',
    sa.Column('declarant_id', sa.String(length=64), nullable=False),
    sa.Column('login', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.PrimaryKeyConstraint('declarant_id')
    )


def downgrade() -> None:
    op.drop_table('declarants')

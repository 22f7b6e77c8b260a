"""assets' products and the companies' holdings (portalkit.product_directory)

Revision ID: product_directory
Revises: 0002
Create Date: 2026-12-02 00:50:00
"""
from portalkit.migrations import create_product_directory, drop_product_directory

revision = 'product_directory'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_product_directory()


def downgrade() -> None:
    drop_product_directory()

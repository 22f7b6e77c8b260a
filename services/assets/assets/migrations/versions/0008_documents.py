"""administrative documents (invoices, credits, intervention reports, attendance sheets) and their
bulk uploads

Revision ID: 0008_documents
Revises: 0007_serialization
Create Date: 2026-12-02 07:00:00
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0008_documents'
down_revision = '0007_serialization'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('documents',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('intervention', sa.String(length=64), nullable=True),
    sa.Column('file_key', sa.String(length=200), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('published_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=64), nullable=True),
    sa.Column('import_id', sa.String(length=32), nullable=True),
    sa.CheckConstraint("kind IN ('invoice', 'credit', 'intervention_report', 'attendance_sheet')",
                       name=op.f('ck_documents_kind')),
    sa.CheckConstraint('amount IS NULL OR amount >= 0', name=op.f('ck_documents_amount')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('company_id', 'kind', 'number', name='uq_documents_company_kind_number')
    )
    op.create_index('ix_documents_company_kind_issued', 'documents', ['company_id', 'kind', 'issued_on', 'id'],
                    unique=False)
    op.create_index('ix_documents_import', 'documents', ['import_id'], unique=False)
    op.create_table('document_imports',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('file_key', sa.String(length=200), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Text(), nullable=False),
    sa.Column('error', sa.String(length=64), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_document_imports_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_imports'))
    )
    op.create_index('ix_document_imports_status', 'document_imports', ['status', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_document_imports_status', table_name='document_imports')
    op.drop_table('document_imports')
    op.drop_index('ix_documents_import', table_name='documents')
    op.drop_index('ix_documents_company_kind_issued', table_name='documents')
    op.drop_table('documents')

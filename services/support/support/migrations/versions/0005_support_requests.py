"""support requests: the requests, their followers, thread, attachments, history and reads, the
numbering counter, the deflections

Revision ID: 0005_support_requests
Revises: product_directory
Create Date: 2026-12-02 06:43:07
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0005_support_requests'
down_revision = 'product_directory'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('deflections',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('article_id', sa.String(length=64), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deflections'))
    )
    with op.batch_alter_table('deflections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deflections_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deflections_company_id'), ['company_id'], unique=False)

    op.create_table('request_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_request_counters'))
    )
    op.create_table('support_requests',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('company_id', sa.String(length=64), nullable=False),
    sa.Column('requester_id', sa.String(length=64), nullable=False),
    sa.Column('product_id', sa.String(length=64), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('assignee_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status_changed_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_client_comment_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_response_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_response_due', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_response_risk_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolution_due', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolution_risk_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('paused_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("severity IN ('blocking', 'major', 'minor', 'question')", name=op.f('ck_support_requests_severity')),
    sa.CheckConstraint("status IN ('new', 'in_progress', 'waiting_for_customer', 'resolved', 'closed', 'reopened')", name=op.f('ck_support_requests_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_requests')),
    sa.UniqueConstraint('number', name=op.f('uq_support_requests_number'))
    )
    with op.batch_alter_table('support_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_requests_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index('ix_support_requests_company_updated', ['company_id', 'updated_at'], unique=False)
        batch_op.create_index('ix_support_requests_company_status_updated', ['company_id', 'status', 'updated_at'], unique=False)
        batch_op.create_index('ix_support_requests_requester_updated', ['requester_id', 'updated_at'], unique=False)
        batch_op.create_index('ix_support_requests_status_updated', ['status', 'updated_at'], unique=False)

    op.create_table('request_comments',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('request_id', sa.String(length=32), nullable=False),
    sa.Column('author_id', sa.String(length=64), nullable=False),
    sa.Column('author_kind', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('internal', sa.Boolean(), nullable=False),
    sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("author_kind IN ('client', 'operator')", name=op.f('ck_request_comments_author_kind')),
    sa.ForeignKeyConstraint(['request_id'], ['support_requests.id'], name=op.f('fk_request_comments_request_id_support_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_comments'))
    )
    with op.batch_alter_table('request_comments', schema=None) as batch_op:
        batch_op.create_index('ix_request_comments_request_time', ['request_id', 'created_at'], unique=False)

    op.create_table('request_followers',
    sa.Column('request_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['support_requests.id'], name=op.f('fk_request_followers_request_id_support_requests')),
    sa.PrimaryKeyConstraint('request_id', 'user_id', name=op.f('pk_request_followers'))
    )
    with op.batch_alter_table('request_followers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_followers_user_id'), ['user_id'], unique=False)

    op.create_table('request_moves',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('request_id', sa.String(length=32), nullable=False),
    sa.Column('at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('actor_kind', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=24), nullable=True),
    sa.Column('to_status', sa.String(length=24), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['support_requests.id'], name=op.f('fk_request_moves_request_id_support_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_moves'))
    )
    with op.batch_alter_table('request_moves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_moves_request_id'), ['request_id'], unique=False)

    op.create_table('request_reads',
    sa.Column('request_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('read_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['support_requests.id'], name=op.f('fk_request_reads_request_id_support_requests')),
    sa.PrimaryKeyConstraint('request_id', 'user_id', name=op.f('pk_request_reads'))
    )
    with op.batch_alter_table('request_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_reads_user_id'), ['user_id'], unique=False)

    op.create_table('request_attachments',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('request_id', sa.String(length=32), nullable=False),
    sa.Column('comment_id', sa.String(length=32), nullable=True),
    sa.Column('file_key', sa.String(length=200), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', portalkit.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['request_comments.id'], name=op.f('fk_request_attachments_comment_id_request_comments')),
    sa.ForeignKeyConstraint(['request_id'], ['support_requests.id'], name=op.f('fk_request_attachments_request_id_support_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_attachments'))
    )
    with op.batch_alter_table('request_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_attachments_request_id'), ['request_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('request_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_attachments_request_id'))

    op.drop_table('request_attachments')
    with op.batch_alter_table('request_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_reads_user_id'))

    op.drop_table('request_reads')
    with op.batch_alter_table('request_moves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_moves_request_id'))

    op.drop_table('request_moves')
    with op.batch_alter_table('request_followers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_followers_user_id'))

    op.drop_table('request_followers')
    with op.batch_alter_table('request_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_request_comments_request_time')

    op.drop_table('request_comments')
    with op.batch_alter_table('support_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_support_requests_status_updated')
        batch_op.drop_index('ix_support_requests_requester_updated')
        batch_op.drop_index('ix_support_requests_company_updated')
        batch_op.drop_index('ix_support_requests_company_status_updated')
        batch_op.drop_index(batch_op.f('ix_support_requests_assignee_id'))

    op.drop_table('support_requests')
    op.drop_table('request_counters')
    with op.batch_alter_table('deflections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deflections_company_id'))
        batch_op.drop_index(batch_op.f('ix_deflections_article_id'))

    op.drop_table('deflections')

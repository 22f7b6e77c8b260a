"""support requests: the operators' queue's indexes (its sort, each filter with the sort) and the
weekly counts' (requests by creation, moves by status and time)

Revision ID: 0006_queue_indexes
Revises: 0005_support_requests
Create Date: 2026-12-02 14:50:00
"""
from alembic import op


revision = '0006_queue_indexes'
down_revision = '0005_support_requests'
branch_labels = None
depends_on = None

INDEXES = (
    ("support_requests", "ix_support_requests_updated", ["updated_at", "id"]),
    ("support_requests", "ix_support_requests_severity_updated", ["severity", "updated_at"]),
    ("support_requests", "ix_support_requests_product_updated", ["product_id", "updated_at"]),
    ("support_requests", "ix_support_requests_assignee_updated", ["assignee_id", "updated_at"]),
    ("support_requests", "ix_support_requests_created", ["created_at"]),
    ("request_moves", "ix_request_moves_to_status_at", ["to_status", "at"]),
)


def upgrade() -> None:
    # The assignee's index with the sort makes the one on assignee alone redundant.
    op.drop_index("ix_support_requests_assignee_id", table_name="support_requests")
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.create_index("ix_support_requests_assignee_id", "support_requests", ["assignee_id"], unique=False)

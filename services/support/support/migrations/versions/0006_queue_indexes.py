"""support requests: the operators' queue's indexes (its sort, each filter with the sort, the running
clock's due moment) and the
weekly counts of requests opened and resolved, filled from the requests and their moves

Revision ID: 0006_queue_indexes
Revises: 0005_support_requests
Create Date: 2026-12-02 14:50:00
"""
from collections import Counter
from datetime import timedelta, timezone

from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0006_queue_indexes'
down_revision = '0005_support_requests'
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_support_requests_updated", ["updated_at", "id"]),
    ("ix_support_requests_severity_updated", ["severity", "updated_at"]),
    ("ix_support_requests_product_updated", ["product_id", "updated_at"]),
    ("ix_support_requests_assignee_updated", ["assignee_id", "updated_at"]),
)

# As in support.models (a migration keeps its own copy: the model may change later).
RUNNING_DUE = "(CASE WHEN first_response_at IS NULL THEN first_response_due ELSE resolution_due END)"
CLOCK_RUNS = "status NOT IN ('resolved', 'closed') AND paused_at IS NULL"
CLOCK_COLUMNS = ["first_response_at", "first_response_due", "resolution_due"]
RUNNING_RISK = "(CASE WHEN first_response_at IS NULL THEN first_response_risk_at ELSE resolution_risk_at END)"
RISK_COLUMNS = [*CLOCK_COLUMNS, "first_response_risk_at", "resolution_risk_at"]
CLOCK_PAUSED = "paused_at IS NOT NULL"


def _week(moment):
    day = moment.astimezone(timezone.utc).date()
    return day - timedelta(days=day.weekday())


def upgrade() -> None:
    # The assignee's index with the sort makes the one on assignee alone redundant.
    op.drop_index("ix_support_requests_assignee_id", table_name="support_requests")
    for name, columns in INDEXES:
        op.create_index(name, "support_requests", columns, unique=False)
    # The queue's "late" and "due soon": the running target's due moment where the clock runs.
    # Its columns ride along on PostgreSQL, so that counting is an index-only scan.
    for name, columns in (("ix_support_requests_running_due", []),
                          ("ix_support_requests_assignee_running_due", ["assignee_id"])):
        op.create_index(name, "support_requests", [*columns, sa.text(RUNNING_DUE)], unique=False,
                        postgresql_where=sa.text(CLOCK_RUNS), sqlite_where=sa.text(CLOCK_RUNS),
                        postgresql_include=CLOCK_COLUMNS)
    op.create_index("ix_support_requests_running_risk", "support_requests", [sa.text(RUNNING_RISK)], unique=False,
                    postgresql_where=sa.text(CLOCK_RUNS), sqlite_where=sa.text(CLOCK_RUNS),
                    postgresql_include=RISK_COLUMNS)
    op.create_index("ix_support_requests_paused_updated", "support_requests", ["updated_at"], unique=False,
                    postgresql_where=sa.text(CLOCK_PAUSED), sqlite_where=sa.text(CLOCK_PAUSED),
                    postgresql_include=["status"])
    counts = op.create_table('weekly_counts',
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('opened', sa.Integer(), nullable=False),
    sa.Column('resolved', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('week', name=op.f('pk_weekly_counts'))
    )
    # The counts of what is there already (one pass over each table, grouped here: portable).
    connection = op.get_bind()
    when = portalkit.db.UTCDateTime()
    requests = sa.table("support_requests", sa.column("created_at", when))
    moves = sa.table("request_moves", sa.column("at", when), sa.column("to_status", sa.String()))
    opened = Counter(_week(row[0]) for row in connection.execute(sa.select(requests.c.created_at)))
    resolved = Counter(_week(row[0]) for row in connection.execute(
        sa.select(moves.c.at).where(moves.c.to_status == "resolved")))
    rows = [{"week": week, "opened": opened[week], "resolved": resolved[week]} for week in sorted({*opened, *resolved})]
    if rows:
        op.bulk_insert(counts, rows)


def downgrade() -> None:
    op.drop_table('weekly_counts')
    op.drop_index("ix_support_requests_paused_updated", table_name="support_requests")
    op.drop_index("ix_support_requests_running_risk", table_name="support_requests")
    op.drop_index("ix_support_requests_assignee_running_due", table_name="support_requests")
    op.drop_index("ix_support_requests_running_due", table_name="support_requests")
    for name, _ in reversed(INDEXES):
        op.drop_index(name, table_name="support_requests")
    op.create_index("ix_support_requests_assignee_id", "support_requests", ["assignee_id"], unique=False)

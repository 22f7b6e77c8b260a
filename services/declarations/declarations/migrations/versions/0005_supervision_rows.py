"""the supervisor's table kept ready: a row per entity × obligation × year and their tallies per
ancestor (a year filled on its first read, supervision_rows.py); the associates tree's closure,
built from parent_id

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa
import portalkit.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# UNION, not UNION ALL: it ends even on a cycle (as of this revision; tree.REBUILD is the same).
REBUILD = """
    INSERT INTO entity_lineage (ancestor_id, entity_id)
    WITH RECURSIVE up(entity_id, ancestor_id) AS (
        SELECT id, id FROM entities
        UNION
        SELECT up.entity_id, e.parent_id FROM up JOIN entities e ON e.id = up.ancestor_id
        WHERE e.parent_id IS NOT NULL)
    SELECT DISTINCT ancestor_id, entity_id FROM up"""


def upgrade() -> None:
    op.create_table('supervision_rows',
                    sa.Column('entity_id', sa.String(length=64), nullable=False),
                    sa.Column('obligation', sa.String(length=20), nullable=False),
                    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('rank', sa.Integer(), nullable=False),
                    sa.Column('name', sa.String(length=200), nullable=False),
                    sa.Column('siren', sa.String(length=9), nullable=False),
                    sa.Column('period_end', sa.Date(), nullable=False),
                    sa.Column('due_on', sa.Date(), nullable=False),
                    sa.Column('deposit_id', sa.String(length=32), nullable=True),
                    sa.Column('state', sa.String(length=20), nullable=False),
                    sa.Column('codes', sa.String(length=200), nullable=False),
                    sa.Column('transmitted_at', portalkit.db.UTCDateTime(timezone=True), nullable=True),
                    sa.PrimaryKeyConstraint('entity_id', 'obligation', 'year', name=op.f('pk_supervision_rows')))
    op.create_index('ix_supervision_rows_year_entity', 'supervision_rows', ['year', 'entity_id'], unique=False)
    op.create_index('ix_supervision_rows_year_due', 'supervision_rows',
                    ['year', 'due_on', 'name', 'entity_id', 'rank'], unique=False)
    op.create_index('ix_supervision_rows_due', 'supervision_rows', ['due_on', 'name', 'entity_id', 'rank'], unique=False)
    op.create_table('supervision_years',
                    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
                    sa.PrimaryKeyConstraint('year', name=op.f('pk_supervision_years')))


    op.create_table('supervision_tallies',
                    sa.Column('ancestor_id', sa.String(length=64), nullable=False),
                    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('obligation', sa.String(length=20), nullable=False),
                    sa.Column('state', sa.String(length=20), nullable=False),
                    sa.Column('due_on', sa.Date(), nullable=False),
                    sa.Column('sent_hour', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('rows', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('ancestor_id', 'year', 'obligation', 'state', 'due_on', 'sent_hour',
                                            name=op.f('pk_supervision_tallies')))
    op.create_table('entity_lineage',
                    sa.Column('ancestor_id', sa.String(length=64), nullable=False),
                    sa.Column('entity_id', sa.String(length=64), nullable=False),
                    sa.PrimaryKeyConstraint('ancestor_id', 'entity_id', name=op.f('pk_entity_lineage')))
    op.create_index('ix_entity_lineage_entity_id', 'entity_lineage', ['entity_id'], unique=False)
    op.execute(REBUILD)


def downgrade() -> None:
    op.drop_index('ix_entity_lineage_entity_id', table_name='entity_lineage')
    op.drop_table('entity_lineage')
    op.drop_table('supervision_tallies')
    op.drop_table('supervision_years')
    op.drop_index('ix_supervision_rows_due', table_name='supervision_rows')
    op.drop_index('ix_supervision_rows_year_due', table_name='supervision_rows')
    op.drop_index('ix_supervision_rows_year_entity', table_name='supervision_rows')
    op.drop_table('supervision_rows')

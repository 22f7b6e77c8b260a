"""The migrations and the models agree: a table or column added to one is added to the other."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from declarations.models import Base


def test_the_migrations_build_the_models_tables(database):
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_migration_0003_builds_the_reminders_table_with_its_once_key(database):
    from sqlalchemy import inspect

    inspector = inspect(database.engine)
    assert {"entity_id", "obligation", "period_end", "days", "due_on", "sent_at"} <= {
        column["name"] for column in inspector.get_columns("reminders")}
    assert [constraint["column_names"] for constraint in inspector.get_unique_constraints("reminders")] == [
        ["entity_id", "obligation", "period_end", "days"]]

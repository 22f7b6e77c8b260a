"""The migrations and the models agree: a table or column added to one is added to the other."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from declarations.models import Base


def test_the_migrations_build_the_models_tables(database):
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []

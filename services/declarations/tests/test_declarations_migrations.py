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


def test_migration_0005_builds_the_tree_s_closure_from_parent_id(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine, text

    from portalkit.migrations import config_for

    url = f"sqlite:///{tmp_path / 'declarations.db'}"
    command.upgrade(config_for("declarations", url), "0004")
    engine = create_engine(url)
    with engine.begin() as connection:
        for entity_id, parent in (("head", None), ("sub", "head"), ("shop", "sub"), ("alone", None)):
            connection.execute(text("INSERT INTO entities (id, name, parent_id, closing, obligations) "
                                    "VALUES (:id, :id, :parent, '12-31', 'liasse')"), {"id": entity_id, "parent": parent})
    command.upgrade(config_for("declarations", url), "0005")
    with engine.connect() as connection:
        lineage = set(connection.execute(text("SELECT ancestor_id, entity_id FROM entity_lineage")))
    engine.dispose()
    assert lineage == {("head", "head"), ("sub", "sub"), ("shop", "shop"), ("alone", "alone"),
                       ("head", "sub"), ("head", "shop"), ("sub", "shop")}

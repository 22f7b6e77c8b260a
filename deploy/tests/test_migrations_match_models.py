"""Every component's migrations, run from nothing, build exactly the tables its models describe:
a model changed without its migration (or a migration that drifts from it) fails here, not in
production."""
from __future__ import annotations

from importlib import import_module

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from portalkit import migrations

COMPONENTS = ("identity", "catalog", "assets", "knowledge", "support", "notifications", "declarations", "gateway")


@pytest.mark.parametrize("component", COMPONENTS)
def test_migrations_build_what_the_models_describe(component, tmp_path):
    url = f"sqlite:///{tmp_path / component}.db"
    migrations.upgrade(component, url=url)
    models = import_module(f"{component}.models")
    metadata = models.Base.metadata
    # Tables a database engine keeps beside the models (e.g. a full-text index), named by the models.
    unmapped = getattr(models, "UNMAPPED_TABLES", frozenset())
    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_name": lambda name, type_, _parent: not (type_ == "table" and name in unmapped)})
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []

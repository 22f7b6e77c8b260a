"""Alembic migrations per service, run from code: ``portal-migrate <service>``."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import text

from . import logs
from .db import Database
from .settings import database_url

LOCK_ID = 7_406_195  # an arbitrary constant: one migration at a time per database


def config_for(package: str, url: str) -> Config:
    module = importlib.import_module(package)
    config = Config()
    config.set_main_option("script_location", str(Path(module.__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


# What CREATE DATABASE answers when a concurrent creator won the race: DuplicateDatabase, or a
# unique violation on pg_database when both passed the server's own check at once.
ALREADY_CREATED = {"42P04", "23505"}


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named by ``url`` if the server lacks it.

    Scaled containers start together: a database another one has just created is fine, any other
    failure (no right to create it, server refusing) is raised, not hidden until the migration.
    """
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    target = make_url(url)
    if not target.drivername.startswith("postgresql"):
        return
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if not database_exists(connection, target.database):
                create_database(connection, target.database)
    finally:
        engine.dispose()


def database_exists(connection, name: str) -> bool:
    return connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                              {"name": name}).scalar() is not None


def create_database(connection, name: str) -> None:
    """CREATE DATABASE ``name``; a database created meanwhile by someone else is not an error."""
    from sqlalchemy.exc import DBAPIError
    quoted = name.replace('"', '""')
    try:
        connection.execute(text(f'CREATE DATABASE "{quoted}"'))
    except DBAPIError as error:
        if _sqlstate(error) not in ALREADY_CREATED:
            raise


def _sqlstate(error) -> str | None:
    original = getattr(error, "orig", None)
    return getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)


def upgrade(package: str, component: str | None = None, url: str | None = None) -> None:
    """Bring the component's database to the newest revision, creating it if needed."""
    url = url or database_url(component or package)
    ensure_database(url)
    command.upgrade(config_for(package, url), "head")


def run_env(target_metadata) -> None:
    """The body of every service's ``migrations/env.py``."""
    url = context.config.get_main_option("sqlalchemy.url")
    database = Database(url)
    with database.engine.connect() as connection:
        if database.is_postgresql:
            # Scaled containers start together: only one of them migrates at a time.
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": LOCK_ID})
            connection.commit()
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        if database.is_postgresql:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": LOCK_ID})
            connection.commit()
    database.engine.dispose()


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    if not args:
        sys.exit("usage: portal-migrate <service> [<service> ...]")
    logs.configure("migrations", "cli")
    for name in args:
        upgrade(name)
        print(f"{name}: migrated")


def add_outbox_causation() -> None:
    """Migration step shared by every service with an outbox: its ``causation_id`` column."""
    import sqlalchemy as sa
    from alembic import op
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("causation_id", sa.String(length=36), nullable=True))
        batch_op.create_index("ix_outbox_causation", ["causation_id"], unique=False)


def drop_outbox_causation() -> None:
    from alembic import op
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_index("ix_outbox_causation")
        batch_op.drop_column("causation_id")


def add_member_activation() -> None:
    """Migration step of a service keeping members (portalkit.directory): ``activated_at``,
    ``updated_by_event_at`` and the ``forgotten_members`` table. The members known before were learnt at their activation: they are
    taken as activated at the migration's time."""
    import sqlalchemy as sa
    from alembic import op

    from .db import UTCDateTime
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(sa.Column("activated_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("updated_by_event_at", UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE members SET activated_at = CURRENT_TIMESTAMP")
    op.create_table("forgotten_members",
                    sa.Column("user_id", sa.String(length=64), nullable=False),
                    sa.Column("forgotten_at", UTCDateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint("user_id", name=op.f("pk_forgotten_members")))


def drop_member_activation() -> None:
    from alembic import op
    op.drop_table("forgotten_members")
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("updated_by_event_at")
        batch_op.drop_column("activated_at")


def create_product_directory() -> None:
    """Migration step of a service keeping assets' products and holdings (portalkit.product_directory):
    the ``products`` and ``holdings`` tables of its mixins."""
    import sqlalchemy as sa
    from alembic import op

    from .db import UTCDateTime
    op.create_table("products",
                    sa.Column("id", sa.String(length=64), nullable=False),
                    sa.Column("code", sa.String(length=64), nullable=False),
                    sa.Column("name_en", sa.String(length=200), nullable=False),
                    sa.Column("name_fr", sa.String(length=200), nullable=False),
                    sa.Column("kind", sa.String(length=16), nullable=False),
                    sa.Column("brand", sa.String(length=100), nullable=False),
                    sa.Column("domain", sa.String(length=100), nullable=False),
                    sa.Column("serializable", sa.Boolean(), nullable=False),
                    sa.Column("major_version", sa.Integer(), nullable=True),
                    sa.Column("retired", sa.Boolean(), nullable=False),
                    sa.Column("updated_by_event_at", UTCDateTime(timezone=True), nullable=True),
                    sa.PrimaryKeyConstraint("id", name=op.f("pk_products")))
    op.create_table("holdings",
                    sa.Column("id", sa.String(length=64), nullable=False),
                    sa.Column("company_id", sa.String(length=64), nullable=False),
                    sa.Column("product_id", sa.String(length=64), nullable=False),
                    sa.Column("quantity", sa.Integer(), nullable=False),
                    sa.Column("removed", sa.Boolean(), nullable=False),
                    sa.Column("updated_by_event_at", UTCDateTime(timezone=True), nullable=True),
                    sa.PrimaryKeyConstraint("id", name=op.f("pk_holdings")))
    with op.batch_alter_table("holdings") as batch_op:
        batch_op.create_index(batch_op.f("ix_holdings_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_holdings_product_id"), ["product_id"], unique=False)


def drop_product_directory() -> None:
    from alembic import op
    op.drop_table("holdings")
    op.drop_table("products")

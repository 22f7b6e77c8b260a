"""Creating a service's PostgreSQL database: a concurrent creator's win is fine, any other
failure is told (against the local PostgreSQL server)."""
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from portalkit import migrations

NO_CREATEDB_ROLE = "portal_test_no_createdb"


def _admin(url):
    return create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture
def fresh_name(server_url):
    name = f"portal_test_{uuid.uuid4().hex[:12]}"
    yield name
    admin = _admin(server_url)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def _exists(server_url, name):
    admin = _admin(server_url)
    with admin.connect() as connection:
        found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                   {"name": name}).scalar() is not None
    admin.dispose()
    return found


def test_a_missing_database_is_created_and_an_existing_one_left_alone(postgres_server, server_url, fresh_name):
    migrations.ensure_database(f"{postgres_server}/{fresh_name}")
    assert _exists(server_url, fresh_name)
    migrations.ensure_database(f"{postgres_server}/{fresh_name}")
    assert _exists(server_url, fresh_name)


def test_a_database_a_concurrent_creator_made_first_is_not_an_error(postgres_server, server_url, fresh_name,
                                                                   monkeypatch):
    migrations.ensure_database(f"{postgres_server}/{fresh_name}")
    # Both saw it missing; the other one created it first: the server answers DuplicateDatabase.
    monkeypatch.setattr(migrations, "database_exists", lambda connection, name: False)
    migrations.ensure_database(f"{postgres_server}/{fresh_name}")
    assert _exists(server_url, fresh_name)


def test_a_server_refusing_the_creation_is_told(postgres_server, server_url, fresh_name):
    admin = _admin(server_url)
    with admin.connect() as connection:
        if connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :name"),
                              {"name": NO_CREATEDB_ROLE}).scalar() is None:
            connection.execute(text(f"CREATE ROLE {NO_CREATEDB_ROLE} LOGIN NOCREATEDB"))
    admin.dispose()
    host = postgres_server.split("@", 1)[1]
    with pytest.raises(DBAPIError) as raised:
        migrations.ensure_database(f"postgresql+psycopg://{NO_CREATEDB_ROLE}@{host}/{fresh_name}")
    assert migrations._sqlstate(raised.value) == "42501"  # insufficient privilege, not swallowed
    assert not _exists(server_url, fresh_name)

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from gateway.models import Base


def test_health_and_readiness(client):
    assert client.get("/health").json == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.json == {"status": "ready"}


def test_readiness_reports_a_missing_database(var_dir, services, monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_GATEWAY_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    from gateway.app import create_app
    ready = create_app().test_client().get("/ready")
    assert ready.status_code == 503 and "database" in ready.json["problems"]


def test_api_paths_never_reach_the_pages(client, services):
    api = client.get("/api/nothing")
    assert api.status_code == 404 and api.json["error"]["code"] == "not_found"
    page = client.get("/nothing-either")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert all(not fake.received for fake in services.values())


def test_the_app_holds_what_the_pages_need(app):
    from gateway.seams import Gateway, of
    assert isinstance(of(app), Gateway) and app.extensions["portal.database"] is of(app).database
    assert app.secret_key


def test_the_migrations_build_the_models_tables(database):
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_settings_defaults_and_environment(monkeypatch, var_dir):
    from gateway.settings import GatewaySettings
    for name in ("PORT", "PORTAL_CATALOG_URL", "PORTAL_UPSTREAM_POOL_SIZE", "PORTAL_COOKIE_SECURE"):
        monkeypatch.delenv(name, raising=False)
    defaults = GatewaySettings.load()
    assert defaults.port == 8000 and defaults.service_urls["catalog"] == "http://127.0.0.1:8102"
    assert (defaults.upstream_connect_timeout, defaults.upstream_read_timeout) == (2.0, 30.0)
    assert (defaults.session_idle_minutes, defaults.session_lifetime_hours) == (60, 12)
    assert defaults.upstream_pool_size == 16 and defaults.cookie_secure is False
    monkeypatch.setenv("PORTAL_CATALOG_URL", "http://catalog:8000/")
    monkeypatch.setenv("PORTAL_COOKIE_SECURE", "true")
    changed = GatewaySettings.load()
    assert changed.service_urls["catalog"] == "http://catalog:8000" and changed.cookie_secure


def test_production_needs_its_own_flask_key(monkeypatch, var_dir):
    import pytest

    from gateway.settings import GatewaySettings
    from portalkit.settings import SettingsError
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_IDENTITY_SECRET", "s" * 40)
    with pytest.raises(SettingsError):
        GatewaySettings.load()
    monkeypatch.setenv("PORTAL_SECRET_KEY", "k" * 40)
    assert GatewaySettings.load().secret_key == "k" * 40

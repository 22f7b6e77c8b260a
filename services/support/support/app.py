"""support's Flask app factory (served by gunicorn: ``support.app:create_app()``).

No routes yet: health, readiness and the OpenAPI document (``/support/openapi.json``) only.
"""
from __future__ import annotations

from portalkit.settings import Settings
from portalkit.web import create_service_app


def create_app(test_config: dict | None = None):
    settings = Settings.load("support")
    app = create_service_app("support", [], settings)
    app.config.update(test_config or {})
    return app

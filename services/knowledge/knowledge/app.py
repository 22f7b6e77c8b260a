"""knowledge's Flask app factory (served by gunicorn: ``knowledge.app:create_app()``).

No routes yet: health, readiness and the OpenAPI document (``/knowledge/openapi.json``) only.
"""
from __future__ import annotations

from portalkit.settings import Settings
from portalkit.web import create_service_app


def create_app(test_config: dict | None = None):
    settings = Settings.load("knowledge")
    app = create_service_app("knowledge", [], settings)
    app.config.update(test_config or {})
    return app

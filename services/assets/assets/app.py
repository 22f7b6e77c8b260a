"""assets' Flask app factory (served by gunicorn: ``assets.app:create_app()``).

No routes yet: health, readiness and the OpenAPI document (``/assets/openapi.json``) only.
"""
from __future__ import annotations

from portalkit.settings import Settings
from portalkit.web import create_service_app


def create_app(test_config: dict | None = None):
    settings = Settings.load("assets")
    app = create_service_app("assets", [], settings)
    app.config.update(test_config or {})
    return app

"""assets' Flask app factory (served by gunicorn: ``assets.app:create_app()``).

Routes so far: the operators' maintenance contracts (``/operator/contracts``), with health,
readiness and the OpenAPI document (``/assets/openapi.json``).
"""
from __future__ import annotations

from portalkit.settings import Settings
from portalkit.web import create_service_app

from . import identifier_changes_api, operator_api, serialization_api


def create_app(test_config: dict | None = None):
    settings = Settings.load("assets")
    app = create_service_app("assets", [operator_api.blp, serialization_api.blp, identifier_changes_api.blp],
                             settings)
    serialization_api.install(app)
    app.config.update(test_config or {})
    return app

"""support's Flask app factory (served by gunicorn: ``support.app:create_app()``).

Routes: the client companies' support requests (``/support/...``: api.py) and the operators' queue
(``/operator/support/...``: operator_api.py); health, readiness and the OpenAPI document
(``/support/openapi.json``).
"""
from __future__ import annotations

from portalkit.settings import Settings
from portalkit.web import create_service_app

from . import api, operator_api
from .settings import SupportSettings


def create_app(test_config: dict | None = None):
    settings = Settings.load("support")
    SupportSettings.load()  # a bad calendar or target stops the service at start, not at a request
    app = create_service_app("support", [api.blp, operator_api.blp], settings)
    app.config.update(test_config or {})
    return app

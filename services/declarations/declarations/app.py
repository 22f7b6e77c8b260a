"""declarations' Flask app factory (served by gunicorn: ``declarations.app:create_app()``).

Routes: the declarants' deposits (``/declarations/...``: api.py), their deadlines and the operators'
fiscal profiles (deadline_api.py), the supervisors' table and ZIP (supervision_api.py); health, readiness and the OpenAPI
document (``/declarations/openapi.json``).
"""
from __future__ import annotations

from portalkit.settings import Settings
from portalkit.web import create_service_app

from . import api, deadline_api, receipts, supervision_api
from .settings import DeclarationsSettings


def create_app(test_config: dict | None = None):
    settings = Settings.load("declarations")
    DeclarationsSettings.load()  # bad campaigns or keys stop the service at start, not at a request
    receipts.KEYS.ring()
    app = create_service_app("declarations", [api.blp, deadline_api.blp, deadline_api.operator_blp,
                                              supervision_api.blp], settings)
    app.config.update(test_config or {})
    return app

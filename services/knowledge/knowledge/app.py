"""knowledge's Flask app factory (served by gunicorn: ``knowledge.app:create_app()``).

Routes: the readers' search, articles, attachments and feedback (``/knowledge/...``), the
operators' articles (``/operator/articles...``); health, readiness and the OpenAPI document
(``/knowledge/openapi.json``).
"""
from __future__ import annotations

from portalkit.settings import Settings
from portalkit.web import create_service_app

from . import articles_api


def create_app(test_config: dict | None = None):
    settings = Settings.load("knowledge")
    blueprints = [articles_api.readers, articles_api.operators]
    app = create_service_app("knowledge", blueprints, settings)
    app.config.update(test_config or {})
    return app

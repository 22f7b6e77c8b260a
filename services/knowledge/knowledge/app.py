"""knowledge's Flask app factory (served by gunicorn: ``knowledge.app:create_app()``).

Routes: the readers' search, articles, attachments and feedback, and the news for a reader
(``/knowledge/...``); the operators' articles and news (``/operator/articles...``,
``/operator/news...``); health, readiness and the OpenAPI document (``/knowledge/openapi.json``).
"""
from __future__ import annotations

from portalkit.settings import Settings
from portalkit.web import create_service_app

from . import articles_api, news_api

BLUEPRINTS = [articles_api.readers, articles_api.operators, news_api.blp, news_api.operators]


def create_app(test_config: dict | None = None):
    settings = Settings.load("knowledge")
    app = create_service_app("knowledge", BLUEPRINTS, settings)
    app.config.update(test_config or {})
    return app

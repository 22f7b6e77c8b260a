"""catalog's Flask app factory (served by gunicorn: ``catalog.app:create_app()``)."""
from __future__ import annotations

from portalkit.settings import Settings
from portalkit.web import create_service_app

from . import (dashboard_api, notifications_api, offer_api, operator_api, requests_api, settings_api,
               subscriptions_api)


def create_app(test_config: dict | None = None):
    settings = Settings.load("catalog")
    app = create_service_app("catalog", [offer_api.blp, subscriptions_api.blp, requests_api.blp,
                                         settings_api.blp, dashboard_api.blp, notifications_api.blp,
                                         operator_api.blp], settings)
    app.config.update(test_config or {})
    return app

"""notifications' Flask app factory (``notifications.app:create_app()``): health, readiness, OpenAPI,
and one's preference for the mails of new content (``preferences_api``).
"""
from __future__ import annotations

from portalkit.settings import Settings
from portalkit.web import create_service_app

from . import preferences_api


def create_app(test_config: dict | None = None):
    app = create_service_app("notifications", [preferences_api.blp], Settings.load("notifications"))
    app.config.update(test_config or {})
    return app

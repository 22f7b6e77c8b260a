"""notifications' Flask app factory (``notifications.app:create_app()``): health, readiness, OpenAPI.

The service has no public routes: it only listens to the bus. The app is what the mesh probes.
"""
from __future__ import annotations

from portalkit.settings import Settings
from portalkit.web import create_service_app


def create_app(test_config: dict | None = None):
    app = create_service_app("notifications", [], Settings.load("notifications"))
    app.config.update(test_config or {})
    return app

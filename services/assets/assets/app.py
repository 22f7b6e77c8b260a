"""assets' Flask app factory (served by gunicorn: ``assets.app:create_app()``).

Routes: the operators' maintenance contracts, products, holdings, releases, release calendar and
identifier changes, documents and their bulk uploads (``/operator/...``); a company's inventory,
serialization codes and their keys and revocations, releases and their files, the calendar, documents
and their files, the users' secret feed links (``/assets/...``; the gateway resolves a feed's secret
on ``/_portal/feed-links/resolve``), the planned services of which the caller is the recipient or
the order's contact (``/assets/planning...``); health, readiness and the
OpenAPI document (``/assets/openapi.json``).
"""
from __future__ import annotations

from portalkit.settings import Settings
from portalkit.web import create_service_app

from . import (calendar_api, documents_api, feed_links_api, holdings_api, identifier_changes_api, inventory_api,
               operator_api, planning_api, products_api, releases_api, serialization_api)


def create_app(test_config: dict | None = None):
    settings = Settings.load("assets")
    blueprints = [operator_api.blp, products_api.blp, holdings_api.blp, inventory_api.blp,
                  releases_api.blp, releases_api.operators, calendar_api.blp, calendar_api.operators,
                  serialization_api.blp, identifier_changes_api.blp, feed_links_api.blp]
    blueprints += [documents_api.blp, documents_api.operators, planning_api.blp, planning_api.operators]
    app = create_service_app("assets", blueprints, settings)
    serialization_api.install(app)
    feed_links_api.install(app)
    app.config.update(test_config or {})
    return app

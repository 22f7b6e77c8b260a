"""assets' Flask app factory (served by gunicorn: ``assets.app:create_app()``).

Routes so far: the operators' maintenance contracts (``/operator/contracts``), products
(``/operator/products``) and holdings (``/operator/holdings``), a company's inventory
(``/assets/inventory``), with health, readiness and the OpenAPI document (``/assets/openapi.json``).
"""
from __future__ import annotations

from portalkit.settings import Settings
from portalkit.web import create_service_app

from . import calendar_api, holdings_api, inventory_api, operator_api, products_api, releases_api


def create_app(test_config: dict | None = None):
    settings = Settings.load("assets")
    blueprints = [operator_api.blp, products_api.blp, holdings_api.blp, inventory_api.blp,
                  releases_api.blp, releases_api.operators, calendar_api.blp, calendar_api.operators]
    app = create_service_app("assets", blueprints, settings)
    app.config.update(test_config or {})
    return app

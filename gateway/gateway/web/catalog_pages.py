"""The catalog's pages (My services, the catalogs, requests to validate, renewal), added to the web app."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import catalog_admin, catalog_requests, catalog_services
    for blueprint in (catalog_services.bp, catalog_requests.bp, catalog_admin.bp):
        app.register_blueprint(blueprint)

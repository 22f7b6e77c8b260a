"""The catalog space: My services, the catalog to subscribe from, requests to validate, renewal, the
administrators' catalog, and the catalog's blocks of the profile page."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import admin, requests, services
    for module in (services, requests, admin):
        app.register_blueprint(module.bp)

"""The administration space: a company's users (list, form, activation mails), its groups, CSV imports."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import groups, imports, user_form, users
    for module in (users, user_form, imports, groups):
        app.register_blueprint(module.bp)

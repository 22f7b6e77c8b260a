"""The administration space: a company's users (list, form, activation mails), its groups, CSV imports,
the Administrators page and the third-party associates screen."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import administrators, associates, groups, imports, user_form, users
    for module in (users, user_form, imports, groups, administrators, associates):
        app.register_blueprint(module.bp)

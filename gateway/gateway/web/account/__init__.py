"""The account space: signing in and out, activation, forgotten and expired passwords, my profile, home,
notifications."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import activation, home, notifications, password, profile, signin
    for module in (signin, activation, home, password, profile, notifications):
        app.register_blueprint(module.bp)

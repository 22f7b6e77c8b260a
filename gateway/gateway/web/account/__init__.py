"""The account space: signing in and out, activation, forgotten and expired passwords, my profile, home."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import activation, home, password, profile, signin
    for module in (signin, activation, home, password, profile):
        app.register_blueprint(module.bp)

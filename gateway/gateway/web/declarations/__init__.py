"""The Etafi declarative portal's pages (``/declarations``): its own sign-in and cookie, the
password links of declarant accounts, the landing page of a declarative session. A portal
session never opens them; the deposit pages come with the declarations service."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import password, signin
    for module in (signin, password):
        app.register_blueprint(module.bp)

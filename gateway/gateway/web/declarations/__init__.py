"""The Etafi declarative portal's pages (``/declarations``): its own sign-in and cookie, the
password links of declarant accounts, the landing page of a declarative session. A portal
session never opens them; the deposit pages come with the declarations service. The declarant
accounts' pages of operators and administrators (``accounts``) are here too."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import accounts, password, signin
    for module in (signin, password, accounts):
        app.register_blueprint(module.bp)

"""The Etafi declarative portal's pages (``/declarations``): its own sign-in and cookie, the
password links of declarant accounts, the landing page of a declarative session. A portal
session never opens them; the deposit page (``deposits``) streams the file on to the declarations service; the deposits'
list and each declaration's page (``following``) follow them to the administration's answer; a
supervisor's table of its subsidiaries' declarations and their evidence ZIP (``supervision``). The declarant
accounts' pages of operators and administrators (``accounts``) are here too."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import accounts, deposits, following, password, signin, supervision
    for module in (signin, password, accounts, deposits, following, supervision):
        app.register_blueprint(module.bp)
    app.register_blueprint(deposits.streamed)

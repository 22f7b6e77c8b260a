"""The portal's web pages: server-rendered, English and French, plain forms that work without script.

``init_web(app)`` adds them to the gateway's Flask app (everything not under ``/api``).
"""
from __future__ import annotations

import hashlib
import hmac

from flask import Flask

from portalkit.settings import identity_secret


def init_web(app: Flask) -> None:
    """Register the pages, their language, CSRF protection, frame and error pages on ``app``."""
    # Imported here so that the gateway's app module and these pages may import each other's package.
    from . import account, activation, errors, frame, groups, home, i18n, imports, password, profile, user_form, users

    if not app.secret_key:
        # The mesh shares the identity secret already; a derived key keeps the two uses apart.
        app.secret_key = hmac.new(identity_secret().encode(), b"portal web pages",
                                  hashlib.sha256).hexdigest()
    app.config.setdefault("PORTAL_COOKIE_SECURE", False)
    i18n.init_app(app)
    frame.init_app(app)
    for blueprint in (frame.bp, account.bp, activation.bp, home.bp, password.bp, profile.bp, users.bp,
                      user_form.bp, imports.bp, groups.bp):
        app.register_blueprint(blueprint)
    from . import catalog_pages
    catalog_pages.init_app(app)
    errors.init_app(app)

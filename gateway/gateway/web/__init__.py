"""The portal's web pages: server-rendered, English and French, plain forms that work without script.

One package per space of the portal, each holding its views, its calls to its service and its
templates (``<space>/templates/<space>/``), and registering itself with ``register(app)``;
``common`` holds what they share (frame, visitor, language, CSRF, calls, pager, error pages).
A new space (assets, knowledge, support, operators) is a package like ``catalog`` and its name
in ``SPACES``. ``init_web(app)`` adds them all to the gateway's Flask app (everything not under ``/api``).
"""
from __future__ import annotations

import hashlib
import hmac
from importlib import import_module

from flask import Flask

from portalkit.settings import identity_secret

# The spaces, in the order their blueprints are registered: each a package of this one.
SPACES = ("account", "administration", "catalog", "contacts", "access", "backoffice", "inventory",
          "downloads", "serialization", "documents", "planning", "news", "lines", "knowledge", "support",
          "declarations")


def init_web(app: Flask) -> None:
    """Register the frame, every space's pages, then the error pages on ``app``."""
    from . import common

    if not app.secret_key:
        # The mesh shares the identity secret already; a derived key keeps the two uses apart.
        app.secret_key = hmac.new(identity_secret().encode(), b"portal web pages",
                                  hashlib.sha256).hexdigest()
    app.config.setdefault("PORTAL_COOKIE_SECURE", False)
    common.register_frame(app)
    for name in SPACES:
        import_module(f"{__name__}.{name}").register(app)
    common.register_error_pages(app)

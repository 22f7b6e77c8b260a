"""The gateway's WSGI app (gunicorn serves ``gateway.app:create_app()``).

/api/* goes straight to the proxy, a plain WSGI callable; everything else (the pages, /health,
/ready, static files) to the Flask app. ``create_app`` returns the Flask app with the dispatch
wrapped around its ``wsgi_app``, so Flask's test client and tooling keep working.
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from portalkit.correlation import RequestIdMiddleware
from portalkit.db import Database
from portalkit.settings import Settings
from portalkit.web import readiness as ready  # the same database-and-broker check as the services'

from . import metrics
from .proxy import ApiProxy
from .seams import Gateway
from .settings import GatewaySettings

try:
    # The portal's pages, delivered separately (gateway/web, templates, static, translations).
    # Without them the gateway still routes the API and answers /health and /ready.
    from . import web
except ModuleNotFoundError as missing:
    if missing.name != f"{__package__}.web":
        raise
    web = None


class ApiDispatcher:
    """Sends /api/* to the proxy before Flask sees it, the rest to the pages."""

    __slots__ = ("api", "pages")

    def __init__(self, api, pages):
        self.api, self.pages = api, pages

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/api/") or path == "/api":
            return self.api(environ, start_response)
        return self.pages(environ, start_response)


def create_app(test_config: dict | None = None) -> Flask:
    portal = Settings.load("gateway")
    settings = GatewaySettings.load()
    gateway = Gateway.build(settings, portal, Database(portal.database_url))

    # root_path given, not guessed from the name: "gateway" is also the project folder at the
    # checkout's top, which an import from there (pytest's importlib mode) can take for it.
    app = Flask("gateway", root_path=str(Path(__file__).resolve().parent), static_folder=None)
    app.config.update(
        SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.cookie_secure, PORTAL_COOKIE_SECURE=settings.cookie_secure,
    )
    app.config.update(test_config or {})
    # portalkit's readiness check reads the database from "portal.database", as in every service.
    app.extensions.update({"portal.settings": portal, "portal.database": gateway.database})
    gateway.install(app)
    app.add_url_rule("/health", "health", lambda: jsonify(status="ok"))
    app.add_url_rule("/ready", "ready", ready)
    _register_error_pages(app)
    _guard_pages(app, settings.max_url_bytes)
    if web is not None:
        web.init_web(app)
    app.wsgi_app = ApiDispatcher(metrics.install(app, ApiProxy(gateway)), app.wsgi_app)
    _follow_requests(app)
    return app


def _follow_requests(app: Flask) -> None:
    """Outermost: every answer (API, pages, the gateway's own 404/503/504) carries the request's id,
    the client's X-Request-Id when well-formed, else a new one; the services get it (upstream.py)."""
    app.wsgi_app = RequestIdMiddleware(app.wsgi_app)


def _guard_pages(app: Flask, max_url_bytes: int) -> None:
    """Outside /api too: a too long address is the error page 414; no answer is type-sniffed."""

    @app.before_request
    def _refuse_long_addresses():
        if len(request.environ.get("PATH_INFO") or "") + len(request.environ.get("QUERY_STRING") or "") \
                > max_url_bytes:
            abort(414)

    @app.after_request
    def _nosniff(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


def _register_error_pages(app: Flask) -> None:
    """Plain answers for errors outside /api; the pages replace them with their own templates."""

    def page(status: int, title: str, text: str):
        return (f"<!doctype html><html lang=en><meta charset=utf-8><title>{escape(title)}</title>"
                f"<h1>{escape(title)}</h1><p>{escape(text)}</p>", status,
                {"Content-Type": "text/html; charset=utf-8"})

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        answer = page(error.code or 500, error.name, error.description or "")
        if error.code == 405:
            answer[2].update(dict(error.get_headers()), **{"Content-Type": answer[2]["Content-Type"]})
        return answer

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("unexpected error")
        return page(500, "Something went wrong", "Something went wrong on our side. Please try again.")

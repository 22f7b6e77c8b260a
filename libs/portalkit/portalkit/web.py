"""What every service's Flask app shares: OpenAPI, errors, health, the verified caller, sessions."""
from __future__ import annotations

import functools
import logging

from flask import Flask, current_app, g, jsonify, request
from sqlalchemy.orm import Session
from webargs.flaskparser import FlaskParser

from . import answer_headers, broker, consistency, correlation, metrics, request_input, signed_identity
from .db import Database
from .errors import PortalError, forbidden, register_error_handlers
from .openapi import DocumentedBlueprint, PortalApi, needs_sign_in
from .settings import Settings
from .signed_identity import Identity

log = logging.getLogger(__name__)
PUBLIC_PATHS = {"/health", "/ready", "/metrics"}


class Parser(FlaskParser):
    # The contract answers invalid input with 400, not webargs' default 422.
    DEFAULT_VALIDATION_STATUS = 400

    def _raw_load_json(self, req):
        # The portal's reader: a body too deep, not text, or too large is refused in the error shape.
        return request_input.json_arguments(req)


class Blueprint(DocumentedBlueprint):
    """A flask-smorest blueprint whose argument errors answer 400 in the portal's shape."""

    ARGUMENTS_PARSER = Parser()


def create_service_app(component: str, blueprints, settings: Settings | None = None,
                       database: Database | None = None, version: str = "1.0") -> Flask:
    """Build a service's app: its blueprints under ``/<component>``-prefixed paths, plus the rest."""
    settings = settings or Settings.load(component)
    app = Flask(component)
    app.config.update(
        API_TITLE=f"Client portal — {component}", API_VERSION=version, OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=f"/{component}", OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=request_input.MAX_BODY_BYTES, JSON_SORT_KEYS=False,
    )
    app.extensions["portal.settings"] = settings
    app.extensions["portal.database"] = database or Database(settings.database_url)
    api = PortalApi(app)
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    register_error_handlers(app)
    app.before_request(_verify_caller)
    request_input.install(app)
    answer_headers.install(app)
    consistency.install(app, lambda: app.extensions["portal.database"])
    app.teardown_appcontext(_close_session)
    metrics.install(app, component)
    app.add_url_rule("/health", "health", lambda: jsonify(status="ok"))
    app.add_url_rule("/ready", "ready", readiness)
    _follow_requests(app)
    return app


def _follow_requests(app: Flask) -> None:
    """Bind the caller's X-Request-Id (checked again: a service trusts no caller's form) for the
    request's logs and events, and answer with it."""
    app.wsgi_app = correlation.RequestIdMiddleware(app.wsgi_app)


def settings() -> Settings:
    return current_app.extensions["portal.settings"]


def database() -> Database:
    return current_app.extensions["portal.database"]


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def db_session() -> Session:
    """The request's database session; the use case commits, teardown closes it.

    A GET changes nothing, so it reads without taking SQLite's write lock.
    """
    if "db_session" not in g:
        sessions = database().read_sessions if request.method in SAFE_METHODS else database().sessions
        g.db_session = sessions()
    return g.db_session


def _close_session(_error=None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def _verify_caller():
    if request.path in PUBLIC_PATHS or request.path.endswith("/openapi.json"):
        return None
    try:
        g.identity = signed_identity.verify(request.headers.get(signed_identity.HEADER),
                                            settings().identity_secret)
    except signed_identity.InvalidIdentity:
        # Only the gateway may call a service: a request without its signature is refused.
        raise PortalError(401, "identity_missing", "This service only answers through the gateway.")
    return None


def caller() -> Identity:
    return g.identity


def signed_in(view):
    """Refuse anonymous callers (401)."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        identity = caller()
        if not identity.signed_in:
            raise PortalError(401, "not_signed_in", "Sign in first.")
        if identity.scope != "full":
            raise forbidden("This session may only change its password.", "password_change_required")
        return view(*args, **kwargs)
    return needs_sign_in(wrapper)


DECLARATIVE_SCOPE = "declarative"


def declarative_signed_in(view):
    """Refuse every caller but a session of the Etafi declarative portal (401): ``signed_in``'s
    counterpart, which refuses those sessions everywhere else."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        identity = caller()
        if not identity.signed_in or identity.scope != DECLARATIVE_SCOPE:
            raise PortalError(401, "declarative_sign_in_required",
                              "Sign in to the declarative portal with its own login.")
        return view(*args, **kwargs)
    return needs_sign_in(wrapper)


def requires(service_code: str):
    """Refuse callers who do not hold ``service_code`` for their company (403)."""
    def decorator(view):
        @functools.wraps(view)
        @signed_in
        def wrapper(*args, **kwargs):
            if not caller().companies_with(service_code):
                raise forbidden("Your subscriptions do not include this service.")
            return view(*args, **kwargs)
        return needs_sign_in(wrapper)
    return decorator


def operator_only(view):
    """Refuse everyone but the vendor's operators (403)."""
    @functools.wraps(view)
    @signed_in
    def wrapper(*args, **kwargs):
        if not caller().operator:
            raise forbidden("Only the vendor's operators may do this.")
        return view(*args, **kwargs)
    return needs_sign_in(wrapper)


def readiness():
    """Answer 200 when the database and the broker answer, else 503 naming what does not."""
    problems = {}
    try:
        database().ping()
    except Exception as error:  # noqa: BLE001 - reported, not raised
        problems["database"] = type(error).__name__
    try:
        with broker.connect(settings()) as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # noqa: BLE001
        problems["broker"] = type(error).__name__
    if problems:
        return jsonify(status="unavailable", problems=problems), 503
    return jsonify(status="ready")

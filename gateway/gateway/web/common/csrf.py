"""CSRF protection of every form: a signed double-submit token.

The browser holds a random value in the ``portal_csrf`` cookie; each form carries that value signed
with the app's secret key and bound to the session cookie. A post whose token is missing, forged,
made for another browser or for another session is refused with a 400 page.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Blueprint, Flask, current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.exceptions import BadRequest

from . import visitor

COOKIE = "portal_csrf"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class FormRefused(BadRequest):
    """The form's CSRF token is missing or wrong (shown as a 400 page asking to reload)."""

    description = "The form's security token is missing or wrong."


def init_app(app: Flask) -> None:
    # App-wide, because error pages carry forms too (sign-out, language switch).
    app.after_request(_keep_seed)


def protect(blueprint: Blueprint) -> None:
    """Check the token on every unsafe request to ``blueprint``'s views."""
    blueprint.before_request(check)


def token() -> str:
    """The token to put in a form of this page (``{{ csrf_field() }}`` in templates)."""
    return _serializer().dumps({"seed": _seed(), "session": _session_binding()})


def check() -> None:
    if request.method in SAFE_METHODS:
        return
    check_token(request.form.get(FIELD) or request.headers.get(HEADER) or "")


def check_token(submitted: str) -> None:
    """Refuse (400) unless ``submitted`` is this browser's and this session's token. A view that
    streams its body on (a large upload) checks the token of its address's query with it, before
    a byte of the body is read."""
    seed = request.cookies.get(COOKIE) or ""
    try:
        claims = _serializer().loads(submitted)
    except BadSignature:
        raise FormRefused() from None
    if not (isinstance(claims, dict) and seed and _same(claims.get("seed"), seed)
            and _same(claims.get("session"), _session_binding())):
        raise FormRefused()


def _same(signed, actual: str) -> bool:
    return hmac.compare_digest(str(signed or "").encode(), actual.encode())


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="portal-csrf")


def _seed() -> str:
    if "csrf_seed" not in g:
        g.csrf_seed = request.cookies.get(COOKIE) or secrets.token_urlsafe(24)
    return g.csrf_seed


def _session_binding() -> str:
    # A token made before sign-in (or for another session) is no good after it.
    session = visitor.session_token() or ""
    return hashlib.sha256(session.encode()).hexdigest()[:32] if session else ""


def _keep_seed(response):
    seed = g.get("csrf_seed")
    if seed and seed != request.cookies.get(COOKIE):
        response.set_cookie(COOKIE, seed, **visitor.cookie_options())
    return response


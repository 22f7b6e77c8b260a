"""Who is looking at a page: the session cookie, the signed-in user behind it, where to send them next.

Below the language (``i18n`` asks this module who is signed in, never the other way round).
"""
from __future__ import annotations

import functools
from datetime import datetime
from urllib.parse import urlencode, urlsplit

from flask import current_app, g, redirect, request

from gateway import auth, seams

FULL_SCOPE = "full"


def session_token() -> str | None:
    return request.cookies.get(auth.COOKIE_NAME) or None


def current_user():
    """The signed-in user of this request, or None (looked up once per request)."""
    if "portal_user" not in g:
        token = session_token()
        user = seams.current().sign_in.current_user(token) if token else None
        # A session limited to changing an expired password does not open the portal's pages.
        g.portal_user = user if user is not None and user.scope == FULL_SCOPE else None
    return g.portal_user


def client_ip() -> str:
    return request.remote_addr or ""


def signed_in_page(view):
    """Send anonymous visitors to the sign-in page, to come back here afterwards."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if current_user() is None:
            target = request.full_path.rstrip("?")
            query = "" if target == "/" else "?" + urlencode({"next": target})
            return redirect("/login" + query)
        return view(*args, **kwargs)
    return wrapper


def safe_next(value: str | None, default: str = "/") -> str:
    """``value`` if it is a path on this site (never another host), else ``default``."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return default
    if any(ord(c) < 32 or c == "\\" for c in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


LANDING = "portal.landing"


def set_landing(app, landing) -> None:
    """Name where a user goes after signing in without a destination: ``landing(user)`` answers a
    path, or None for home (the product lines' space sets it: the space of the company's main line)."""
    app.extensions[LANDING] = landing


def landing_for(user) -> str:
    """Where ``user`` (just signed in, no ``next``) lands: the space's choice, else home."""
    landing = current_app.extensions.get(LANDING)
    return (landing(user) if landing is not None and user is not None else None) or "/"


def cookie_options(**extra) -> dict:
    return {"httponly": True, "samesite": "Lax", "path": "/",
            "secure": bool(current_app.config.get("PORTAL_COOKIE_SECURE")), **extra}


def open_session(response, token: str, expires_at: datetime | None):
    response.set_cookie(auth.COOKIE_NAME, token, expires=expires_at, **cookie_options())
    return response


def close_session(response):
    response.delete_cookie(auth.COOKIE_NAME, **cookie_options())
    return response

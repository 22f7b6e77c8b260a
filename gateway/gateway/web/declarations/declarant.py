"""Who is signed in to the declarative portal: the ``declarative_session`` cookie (its own, never
the portal's), the declarant behind it, and the identity the pages call identity with."""
from __future__ import annotations

import functools
from datetime import datetime

from flask import g, redirect, request

from gateway import auth, seams
from gateway.sessions import DECLARATIVE_SCOPE

from ..common import i18n, visitor

SIGN_IN_PATH = "/declarations/signin"
HOME_PATH = "/declarations"


def session_token() -> str | None:
    return request.cookies.get(auth.DECLARATIVE_COOKIE_NAME) or None


def current_declarant():
    """The declarative session of this request, or None (a portal session is never one)."""
    if "declarative_user" not in g:
        token = session_token()
        user = seams.current().sign_in.current_user(token) if token else None
        g.declarative_user = user if user is not None and user.scope == DECLARATIVE_SCOPE else None
        if g.declarative_user is not None:
            i18n.prefer(g.declarative_user.language)
    return g.declarative_user


def identity():
    return auth.identity_for(current_declarant(), visitor.client_ip())


def declarative_page(view):
    """Send visitors without a declarative session to the declarative sign-in page."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if current_declarant() is None:
            return redirect(SIGN_IN_PATH)
        return view(*args, **kwargs)
    return wrapper


def open_session(response, token: str, expires_at: datetime | None):
    # Path-scoped: the cookie goes to the declarative pages only, never with the portal's requests.
    response.set_cookie(auth.DECLARATIVE_COOKIE_NAME, token, expires=expires_at,
                        **visitor.cookie_options(path=HOME_PATH))
    return response


def close_session(response):
    response.delete_cookie(auth.DECLARATIVE_COOKIE_NAME, **visitor.cookie_options(path=HOME_PATH))
    return response

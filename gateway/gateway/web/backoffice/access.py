"""Who opens the back office (operators only), its place in the header, and its calls to the services."""
from __future__ import annotations

import functools

from flask import abort
from flask_babel import lazy_gettext

from ..common import calls, frame, visitor

HOME = "/operator"
SPACE = frame.Space("operator", lazy_gettext("BACK OFFICE"), HOME, frozenset())


def is_operator(user) -> bool:
    return user is not None and bool(user.operator)


def operator_page(view):
    """Signed in as an operator, else the 403 page (each service checks again)."""
    @visitor.signed_in_page
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not is_operator(visitor.current_user()):
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def header_space() -> dict:
    """The header's entry of the back office: for operators only."""
    return {"operator_spaces": [SPACE] if is_operator(visitor.current_user()) else []}


def call(service: str, method: str, path: str, **kwargs) -> tuple[int, object]:
    return calls.call(service, method, path, **kwargs)


def read(service: str, path: str, query: dict | None = None) -> dict:
    """A read the page cannot do without: 404 → the not-found page, 403 → not allowed, else 503."""
    status, body = call(service, "GET", path, query=query)
    if status in (403, 404):
        abort(status)
    if status != 200 or not isinstance(body, dict):
        abort(503)
    return body


def optional(service: str, path: str, query: dict | None = None) -> dict | None:
    """A read for a block of the page: None when it cannot be had (the block says so)."""
    status, body = call(service, "GET", path, query=query)
    return body if status == 200 and isinstance(body, dict) else None

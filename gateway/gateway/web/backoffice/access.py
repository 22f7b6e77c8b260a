"""Who opens the back office (operators only), its place in the header, and its calls to the services."""
from __future__ import annotations

from flask import abort
from flask_babel import lazy_gettext

from ..common import calls, frame, visitor
from ..common.rights import is_operator, operator_page  # noqa: F401  (the space's pages import it from here)

HOME = "/operator"
SPACE = frame.Space("operator", lazy_gettext("BACK OFFICE"), HOME, frozenset())


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

"""Headers on every answer of a service: never sniffed as another type, never stored by a cache
unless the view chose its own caching (a file download with its ETag, for instance)."""
from __future__ import annotations

from flask import Flask, Response

NOSNIFF = ("X-Content-Type-Options", "nosniff")
NO_STORE = ("Cache-Control", "no-store")


def _add(response: Response) -> Response:
    response.headers.setdefault(*NOSNIFF)
    response.headers.setdefault(*NO_STORE)
    return response


def install(app: Flask) -> None:
    app.after_request(_add)

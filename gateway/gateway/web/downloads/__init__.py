"""The Downloads space: the updates of the products under contract the user may download (those
not yet downloaded marked new), and the release calendar with its iCalendar feed. The files
themselves are the API's (``/api/assets/releases/<id>/file``), streamed by the gateway's proxy:
the page links to them, the browser's cookie signs the call."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import pages
    app.register_blueprint(pages.bp)

"""The Downloads space: the updates of the products under contract the user may download (those
not yet downloaded marked new), and the release calendar with its iCalendar feed — the user's own
secret link for calendar apps (``common/feeds.py``), made and renewed on the page. The files
themselves are the API's (``/api/assets/releases/<id>/file``), streamed by the gateway's proxy:
the page links to them, the browser's cookie signs the call."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from ..common import feeds
    from . import pages
    app.register_blueprint(pages.bp)
    app.register_blueprint(feeds.bp)

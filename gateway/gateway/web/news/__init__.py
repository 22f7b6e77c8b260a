"""The news space: ``/news`` (the items reaching the visitor, filtered by kind, the new ones marked;
opening it marks the visit) and an item's page ``/news/<id>``. The header's news link (base.html) and
the home tile (account/home.py) appear once ``/news`` exists; the operators' ``/operator/news`` is the
back office's (``backoffice/news.py``)."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import pages
    app.register_blueprint(pages.bp)

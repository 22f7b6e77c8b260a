"""The news space: ``/news`` (the items reaching the visitor, filtered by kind, the new ones marked;
opening it marks the visit), an item's page ``/news/<id>``, and the operators' ``/operator/news``
(the list by kind and retirement, the form publishing an item with its preview, retirement).
The header's news link (base.html) and the home tile (account/home.py) appear once ``/news`` exists."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import operator_pages, pages
    app.register_blueprint(pages.bp)
    app.register_blueprint(operator_pages.bp)

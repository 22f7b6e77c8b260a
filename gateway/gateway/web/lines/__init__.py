"""The spaces by product line: each brand the visitor's company holds opens ``/spaces/<brand>`` (its
news, its updates and release calendar, its knowledge base and support entries), and the header lists
them (``line_spaces``, read by base.html) — the guide's "you are directed to a dedicated space".
The lines are knowledge's (``GET /knowledge/lines``, from assets' holdings)."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import pages
    app.register_blueprint(pages.bp)
    app.context_processor(pages.header_lines)

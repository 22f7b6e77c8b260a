"""The spaces by product line: each brand the visitor's company holds opens ``/spaces/<brand>`` (its
news, its updates and release calendar, its knowledge base and support entries), and the header lists
them (``line_spaces``, read by base.html) — the guide's "you are directed to a dedicated space": a user
signing in without a destination lands in the space of the company's main line (``main_space``).
The lines are knowledge's (``GET /knowledge/lines``, from assets' holdings)."""
from __future__ import annotations

from flask import Flask

from ..common import visitor


def register(app: Flask) -> None:
    from . import pages
    app.register_blueprint(pages.bp)
    app.context_processor(pages.header_lines)
    visitor.set_landing(app, pages.main_space)

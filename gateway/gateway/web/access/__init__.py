"""Access requests (the sign-in page's « identifiants perdus »): the public form for people with no
credentials at all, the administrators' decisions (``/administration/access-requests``, counted in
the left bar) and the operators' (``/operator/access-requests``)."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import decisions, request_form
    for module in (request_form, decisions):
        app.register_blueprint(module.bp)

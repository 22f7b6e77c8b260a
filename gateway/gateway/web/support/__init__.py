"""The support space of the client companies (``/support...``): the lists of requests (one's own, the
company's, the supervised sites'), the form opening a request with its suggested articles, and a
request's page with its thread, clock, followers and decisions; through support's client API."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import lists, new_request, request_page, streamed
    app.register_blueprint(lists.bp)
    app.register_blueprint(new_request.bp)
    app.register_blueprint(request_page.bp)
    app.register_blueprint(streamed.bp)

"""Friendly error pages in the frame (and the contract's JSON shape for anything under ``/api``)."""
from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_babel import lazy_gettext
from werkzeug.exceptions import HTTPException, InternalServerError

from portalkit.errors import HTTP_CODES, error_body

from . import csrf, visitor

log = logging.getLogger(__name__)

PAGES = {
    400: (lazy_gettext("Request not understood"),
          lazy_gettext("The page could not understand what was sent. Go back and try again.")),
    403: (lazy_gettext("Not allowed"), lazy_gettext("Your subscriptions do not open this page.")),
    404: (lazy_gettext("Page not found"),
          lazy_gettext("This page does not exist or has moved. Check the address, or start again from the home page.")),
    405: (lazy_gettext("Not available this way"), lazy_gettext("This address cannot be used like this.")),
    410: (lazy_gettext("No longer available"), lazy_gettext("This link can no longer be used.")),
    413: (lazy_gettext("Too large"), lazy_gettext("What you sent is too large.")),
    429: (lazy_gettext("Too many requests"), lazy_gettext("Wait a moment, then try again.")),
    500: (lazy_gettext("Something went wrong"),
          lazy_gettext("An error occurred on our side and has been recorded. Try again in a few moments.")),
    503: (lazy_gettext("Service unavailable"),
          lazy_gettext("The portal cannot answer this right now. Try again in a few moments.")),
}
FORM_REFUSED = (lazy_gettext("This form has expired"),
                lazy_gettext("For your security the form was not accepted: it was open for too long, or it "
                             "came from another page. Go back, reload the page and fill it in again."))


def init_app(app: Flask) -> None:
    # Registered last, these replace the gateway's plain error answers outside /api.
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
    app.register_error_handler(Exception, _unexpected)


def _http_error(error: HTTPException):
    status = error.code or 500
    headers = {key: value for key, value in error.get_headers() if key in ("Allow", "Retry-After")}
    if request.path.startswith("/api/"):
        message = error.description or error.name
        return jsonify(error_body(HTTP_CODES.get(status, "error"), message)), status, headers
    if isinstance(error, csrf.FormRefused):
        title, text = FORM_REFUSED
    else:
        title, text = PAGES.get(status) or PAGES[500 if status >= 500 else 400]
    return _page(status, title, text), status, headers


def _unexpected(error: Exception):
    return _server_error(InternalServerError(original_exception=error))


def _server_error(error: InternalServerError):
    log.error("unexpected error on %s", request.path, exc_info=error.original_exception or error)
    if request.path.startswith("/api/"):
        return jsonify(error_body("internal_error", "Something went wrong on our side.")), 500
    return _page(500, *PAGES[500]), 500


def _page(status: int, title, text) -> str:
    try:
        visitor.current_user()
    except Exception:  # noqa: BLE001 - the error page must render even when sessions cannot be read
        g.portal_user = None
    try:
        return render_template("error.html", status=status, title=title, text=text)
    except Exception:  # noqa: BLE001 - last resort: never a stack trace
        log.exception("could not render the error page")
        return f"{status} {title}"

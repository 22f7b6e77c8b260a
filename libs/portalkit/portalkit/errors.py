"""The one error shape of the portal: ``{"error": {"code", "message", "fields"}}``."""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

# Stable codes for the HTTP errors Flask raises by itself.
HTTP_CODES = {
    400: "invalid_input", 401: "not_signed_in", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 410: "gone", 413: "too_large",
    415: "unsupported_media_type", 422: "invalid_input", 423: "account_locked",
    429: "too_many_requests", 503: "service_unavailable",
}


class PortalError(Exception):
    """A refusal the caller can act on, answered with its status and stable code."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields = fields or {}
        self.headers = headers or {}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def not_found(what: str = "resource") -> PortalError:
    return PortalError(404, "not_found", f"No such {what}.")


def forbidden(message: str = "You are not allowed to do this.", code: str = "forbidden") -> PortalError:
    return PortalError(403, code, message)


def _flatten_messages(messages) -> dict:
    # webargs nests field errors under the location ("json", "query", "form").
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "form", "files", "headers",
                                                        "view_args", "path", "querystring"}:
        merged: dict = {}
        for part in messages.values():
            merged.update(part if isinstance(part, dict) else {"_schema": part})
        return merged
    return messages if isinstance(messages, dict) else {"_schema": messages}


def register_error_handlers(app: Flask) -> None:
    """Answer every error in the portal's shape; never leak a stack trace."""

    @app.errorhandler(PortalError)
    def _portal_error(error: PortalError):
        return jsonify(error_body(error.code, error.message, error.fields)), error.status, error.headers

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        fields = None
        data = getattr(error, "data", None)
        if data and "messages" in data:
            status, fields = 400, _flatten_messages(data["messages"])
        code = HTTP_CODES.get(status, "error")
        message = "Some fields are invalid." if fields else (error.description or error.name)
        headers = dict(error.get_headers()) if status == 405 else {}
        headers.pop("Content-Type", None)
        return jsonify(error_body(code, message, fields)), status, headers

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unexpected error")
        return jsonify(error_body("internal_error", "Something went wrong on our side.")), 500

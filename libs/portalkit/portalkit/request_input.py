"""Reading what a client sent, for every service: JSON too deep, text the databases cannot store
(a lone surrogate, NUL) and a streamed body over the limit are refused in the error shape
(400 ``invalid_input``, 413 ``too_large``) before any view sees them, instead of a 500 later.
"""
from __future__ import annotations

import json
import re

from flask import Flask, Request, current_app, request
from flask.json.provider import DefaultJSONProvider
from webargs.core import missing
from webargs.flaskparser import is_json_request

from .errors import PortalError

# The largest body a service reads (a Content-Length over it, or a streamed body that goes past
# it, answers 413); the gateway refuses larger ones before they reach a service.
MAX_BODY_BYTES = 8 * 1024 * 1024
# No body of the portal nests deeper than a few levels; Python's parser itself gives up near
# 1,000 (RecursionError), and what it does parse may still be too deep for what follows.
MAX_JSON_DEPTH = 32
# PostgreSQL refuses NUL in text; a lone surrogate cannot be encoded as UTF-8 at all.
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
NOT_TEXT_MESSAGE = "Holds a character that is not text (NUL or a lone UTF-16 surrogate such as \\ud800)."


class UnreadableInput(ValueError):
    """A body or value that cannot be taken as the portal's JSON or text."""

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message)
        self.message, self.fields = message, fields or {"_schema": [message]}

    def refusal(self) -> PortalError:
        return PortalError(400, "invalid_input", self.message, self.fields)


def _no_constant(name: str):
    raise UnreadableInput(f"The body is not valid JSON: {name} is not a JSON value.")


def load_json(data: bytes | str):
    """Parse a JSON body, refusing what is not valid JSON, too deep, or not storable text."""
    if isinstance(data, (bytes, bytearray)):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UnreadableInput("The body is not UTF-8 text.") from None
    try:
        value = json.loads(data, parse_constant=_no_constant)
    except RecursionError:
        raise _too_deep() from None
    except UnreadableInput:
        raise
    except ValueError as error:
        raise UnreadableInput(f"The body is not valid JSON: {error}.") from None
    check_json(value)
    return value


def _too_deep() -> UnreadableInput:
    return UnreadableInput(f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels).")


def check_json(value) -> None:
    """Refuse a decoded JSON value nested too deeply or holding a string that is not text."""
    # Iterative on purpose: a recursive walk would itself fail on what it must refuse.
    pending = [(value, 1, "")]
    while pending:
        item, depth, where = pending.pop()
        if isinstance(item, str):
            if _NOT_TEXT.search(item):
                raise UnreadableInput("The body holds text that cannot be stored.",
                                      {where or "_schema": [NOT_TEXT_MESSAGE]})
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth > MAX_JSON_DEPTH:
            raise _too_deep()
        if isinstance(item, dict):
            for key, member in item.items():
                name = f"{where}.{key}" if where else key
                if _NOT_TEXT.search(key):
                    raise UnreadableInput("The body holds text that cannot be stored.",
                                          {"_schema": [NOT_TEXT_MESSAGE]})
                pending.append((member, depth + 1, name))
        else:
            pending.extend((member, depth + 1, where) for member in item)


def check_text(values, field_name=None) -> None:
    """Refuse query, form or path values (a ``MultiDict`` or ``dict``) that are not storable text."""
    for name, value in (values.items(multi=True) if hasattr(values, "getlist") else values.items()):
        for text in (name, value):
            if isinstance(text, str) and _NOT_TEXT.search(text):
                raise UnreadableInput("A value sent holds text that cannot be stored.",
                                      {field_name or name: [NOT_TEXT_MESSAGE]})


class PortalJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading bodies through ``load_json``."""

    def loads(self, s, **kwargs):
        return load_json(s)


class PortalRequest(Request):
    """A request whose JSON and streamed body are read within the portal's limits."""

    def on_json_loading_failed(self, e: ValueError | None):
        if isinstance(e, UnreadableInput):
            raise e.refusal()
        if e is None:
            return super().on_json_loading_failed(e)
        raise PortalError(400, "invalid_input", "The body is not valid JSON.")

    def get_data(self, cache: bool = True, as_text: bool = False, parse_form_data: bool = False):
        data = super().get_data(cache=cache, as_text=False, parse_form_data=parse_form_data)
        if (self.content_length is None and self.max_content_length is not None
                and len(data) >= self.max_content_length
                and self.environ.get("wsgi.input_terminated")
                and self.environ["wsgi.input"].read(1)):
            # A streamed (chunked) body stops at the limit without a word from werkzeug: a byte
            # beyond it means the body was larger, not that it ended there.
            raise PortalError(413, "too_large",
                              f"The body is larger than the {self.max_content_length} bytes accepted.")
        return data.decode("utf-8", "replace") if as_text else data


def json_arguments(req: Request):
    """The JSON body for webargs (``missing`` when absent), refused in the error shape when unreadable."""
    if not is_json_request(req):
        return missing
    data = req.get_data(cache=True)
    if not data:
        return missing
    try:
        return load_json(data)
    except UnreadableInput as error:
        raise error.refusal() from None


def _streams_body() -> bool:
    # A view reading its own body as a stream (portalkit.uploads) checks its fields itself:
    # parsing the form here would read a large file whole first.
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return bool(getattr(view, "streams_body", False))


def _refuse_values_that_are_not_text():
    try:
        check_text(request.args)
        check_text(request.view_args or {})
        if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded") \
                and not _streams_body():
            check_text(request.form)
            for name, upload in request.files.items(multi=True):
                check_text({"filename": upload.filename or ""}, name)
    except UnreadableInput as error:
        raise error.refusal() from None


def install(app: Flask) -> None:
    """Make ``app`` read every request this way (bodies, JSON, query, form and path values)."""
    app.request_class = PortalRequest
    app.json = PortalJSONProvider(app)
    app.before_request(_refuse_values_that_are_not_text)

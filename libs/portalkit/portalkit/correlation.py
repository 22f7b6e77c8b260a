"""The id that follows one request across the portal: from the gateway to the services, onto the
events they write, through the consumers that handle them, to the mails those send.

It lives in context variables, so each thread (a gunicorn thread, the consumer, a job) sees its
own. The web apps bind it around each request (``RequestIdMiddleware``, header ``X-Request-Id``),
the consumer around each event it handles (``handling``: the event's ``correlation_id``, ``id`` and
``type``), a periodic job around each run (``bound(new_id())``). The outbox writes ``current()`` as
every envelope's ``correlation_id`` and the logs name whatever is bound (``portalkit.logs``).
"""
from __future__ import annotations

import contextlib
import contextvars
import re
import uuid
from typing import Iterator

HEADER = "X-Request-Id"
# The header of every mail the portal sends: the id of the request its event followed.
MAIL_HEADER = "X-Portal-Correlation-Id"
# Where the web apps leave the request's id in the WSGI environ: gunicorn's access log reads it
# after the answer, when the context variable is unbound again.
ENVIRON_KEY = "portal.request_id"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,128}\Z")

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("portal_request_id", default=None)
_event: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("portal_event", default=None)


def new_id() -> str:
    """A fresh id (UUID4, hex)."""
    return uuid.uuid4().hex


def well_formed(value: str | None) -> bool:
    """True for an id the portal accepts from a caller: 8 to 128 of ``A-Za-z0-9._:-``.

    Anything else (a log-forging newline, a megabyte, an empty header) is replaced, never kept.
    """
    return isinstance(value, str) and _WELL_FORMED.match(value) is not None


def accepted_or_new(value: str | None) -> str:
    """The caller's id when well-formed, else a fresh one."""
    return value if well_formed(value) else new_id()


def current() -> str | None:
    """The id bound in this context (a request's, or the handled event's correlation id)."""
    return _request_id.get()


def current_event() -> tuple[str, str] | None:
    """``(event_id, event_type)`` of the event being handled in this context, if any."""
    return _event.get()


@contextlib.contextmanager
def bound(request_id: str | None) -> Iterator[str | None]:
    """Bind ``request_id`` for the block; the previous binding comes back after it."""
    token = _request_id.set(request_id)
    try:
        yield request_id
    finally:
        _request_id.reset(token)


@contextlib.contextmanager
def handling(correlation_id: str | None, event_id: str, event_type: str) -> Iterator[str]:
    """Bind an event being handled: its correlation id and its own id and type.

    An event written outside any request (the demo loader's, an old one) is followed by its own
    id: every consumer of it, and whatever they write in turn, then names the same one."""
    correlation_id = correlation_id or event_id
    request_token = _request_id.set(correlation_id)
    event_token = _event.set((event_id, event_type))
    try:
        yield correlation_id
    finally:
        _event.reset(event_token)
        _request_id.reset(request_token)


class RequestIdMiddleware:
    """WSGI: bind the request's id (the caller's ``X-Request-Id`` when well-formed, else a new one)
    while the app answers, and send it back on the answer, whatever the answer is."""

    __slots__ = ("app",)

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        request_id = accepted_or_new(environ.get("HTTP_X_REQUEST_ID"))
        environ[ENVIRON_KEY] = request_id
        # The services the gateway calls read it from here too (gateway.upstream).
        environ["HTTP_X_REQUEST_ID"] = request_id

        def start(status, headers, exc_info=None):
            headers = [(name, value) for name, value in headers if name.lower() != "x-request-id"]
            headers.append((HEADER, request_id))
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        token = _request_id.set(request_id)
        try:
            return self.app(environ, start)
        finally:
            # Unbound once the app has answered: a thread's next request must not inherit it.
            _request_id.reset(token)

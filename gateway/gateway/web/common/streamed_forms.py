"""A page's multipart form streamed on to a service as it comes (a release's file, a support answer's
attachments): past the pages' 8 MiB limit, never held whole, its CSRF token in the form's address
(the view's blueprint parses no form first); the small fields ahead of the files are noted on the way."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

from gateway import seams

from . import calls, csrf

CHUNK = 64 * 1024
FIELD_BYTES = 64 * 1024


@dataclass
class Forwarded:
    """What became of the form: ``problem`` "unreadable" or "too_large" (then ``status`` is None),
    else the service's ``status`` and ``answer``; ``values``: the small fields seen on the way."""
    status: int | None
    answer: object = None
    values: dict = field(default_factory=dict)
    problem: str | None = None


def action_with_token(path: str) -> str:
    """The form's address with its CSRF token (the body is not read before the token is checked)."""
    return f"{path}{'&' if '?' in path else '?'}{csrf.FIELD}={quote(csrf.token(), safe='')}"


class _TooLarge(Exception):
    """The body went past the limit while it streamed (a body sent without its length)."""


def forward(service: str, path: str, limit: int, fields: tuple[str, ...]) -> Forwarded:
    """Check the address's CSRF token, then stream this request's multipart body to ``service``."""
    csrf.check_token(request.args.get(csrf.FIELD) or "")
    length = request.content_length
    boundary = request.mimetype_params.get("boundary") if request.mimetype == "multipart/form-data" else None
    # A body without its length is read only where the server says where it ends (gunicorn does).
    readable = length is not None or request.environ.get("wsgi.input_terminated")
    if not boundary or not readable:
        return Forwarded(None, problem="unreadable")
    if length is not None and length > min(limit, seams.current().settings.max_upload_bytes):
        return Forwarded(None, problem="too_large")
    request.max_content_length = limit  # this view's own limit, in place of the pages' 8 MiB
    values: dict = {}
    headers = {"Content-Type": request.headers["Content-Type"]}
    if length is not None:
        headers["Content-Length"] = str(length)
    try:
        status, answer = calls.call(service, "POST", path, headers=headers,
                                    body=_streamed(request.stream, limit, boundary, values, fields))
    except _TooLarge:
        return Forwarded(None, values=values, problem="too_large")
    return Forwarded(status, answer, values)


def _streamed(stream, limit: int, boundary: str, values: dict, fields: tuple[str, ...]):
    """The body as it comes, chunk by chunk; the fields before the first file are noted in ``values``."""
    decoder = MultipartDecoder(boundary.encode("latin-1"), max_form_memory_size=FIELD_BYTES * len(fields))
    watching, name, sent = True, None, 0
    while True:
        try:
            chunk = stream.read(CHUNK)
        except RequestEntityTooLarge:
            raise _TooLarge() from None
        if not chunk:
            return
        sent += len(chunk)
        if sent > limit:
            raise _TooLarge()
        if watching:
            try:
                watching, name = _note(decoder, chunk, values, name, fields)
            except ValueError:  # not a form the page could read: the service will say so
                watching = False
        yield chunk


def _note(decoder: MultipartDecoder, chunk: bytes, values: dict, name, fields):
    decoder.receive_data(chunk)
    event = decoder.next_event()
    while not isinstance(event, (NeedData, Epilogue)):
        if isinstance(event, File):
            return False, None  # the files come last in the pages' forms: stop looking
        if isinstance(event, Field):
            name = event.name if event.name in fields else None
            if name:
                values[name] = ""
        elif isinstance(event, Data) and name and len(values[name]) < FIELD_BYTES:
            values[name] += event.data.decode("utf-8", "replace")
        event = decoder.next_event()
    return True, name

"""Forms whose multipart body streams on to a service as it arrives, never parsed nor held here (their
files may weigh far more than the pages' 8 MiB body limit): an update, a ZIP of documents, a support
request's or an operator's answer's attachments. Their CSRF token rides in the form's address (``action(path)``), checked before
a byte of the body is read; the small fields ahead of the files are noted on the way, so that a page
can show the form again with the service's refusal."""
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


class Unreadable(Exception):
    """Not a multipart form, or a body whose end nobody can tell (no length, no terminated input)."""


class TooLarge(Exception):
    """The body is (or went, while it streamed) past the form's limit; ``values``: the fields noted."""

    def __init__(self, values: dict | None = None):
        super().__init__("past the form's limit")
        self.values = values or {}


@dataclass
class Forwarded:
    """The service's answer to the streamed form, and the fields noted on the way."""

    status: int
    answer: object
    values: dict = field(default_factory=dict)


def action(path: str) -> str:
    """The form's address, carrying its CSRF token (its body is not read before the check)."""
    return f"{path}{'&' if '?' in path else '?'}{csrf.FIELD}={quote(csrf.token(), safe='')}"


def forward(service: str, path: str, limit: int, fields: tuple[str, ...] = (), identity=None) -> Forwarded:
    """Check the token, then stream this request's form to ``service``'s ``path`` as the visitor
    (or as ``identity``: a declarative session's).

    ``limit`` is the most the body may weigh (the service keeps its own exact limits); ``fields``
    are the names of the small fields to note in ``Forwarded.values`` as they pass.
    """
    csrf.check_token(request.args.get(csrf.FIELD) or "")
    length = request.content_length
    boundary = request.mimetype_params.get("boundary") if request.mimetype == "multipart/form-data" else None
    # A body without its length is read only where the server says where it ends (gunicorn does).
    if not boundary or not (length is not None or request.environ.get("wsgi.input_terminated")):
        raise Unreadable()
    if length is not None and length > min(limit, seams.current().settings.max_upload_bytes):
        raise TooLarge()
    request.max_content_length = limit  # this view's own limit, in place of the pages' 8 MiB
    headers = {"Content-Type": request.headers["Content-Type"]}
    if length is not None:
        headers["Content-Length"] = str(length)
    values: dict = {}
    # TooLarge, raised by the body's generator while the call sends it, ends the call.
    status, answer = calls.call(service, "POST", path, headers=headers, identity=identity,
                                body=_streamed(request.stream, limit, boundary, fields, values))
    return Forwarded(status, answer, values)


def _streamed(stream, limit: int, boundary: str, fields: tuple[str, ...], values: dict):
    """The body as it comes, chunk by chunk; the fields named before the first file noted in ``values``."""
    decoder = MultipartDecoder(boundary.encode("latin-1"), max_form_memory_size=FIELD_BYTES * max(len(fields), 1))
    watching, name, sent = bool(fields), None, 0
    while True:
        try:
            chunk = stream.read(CHUNK)
        except RequestEntityTooLarge:
            raise TooLarge(values) from None
        if not chunk:
            return
        sent += len(chunk)
        if sent > limit:
            raise TooLarge(values)
        if watching:
            try:
                watching, name = _note(decoder, chunk, fields, values, name)
            except ValueError:  # not a form this page could read: the service will say so
                watching = False
        yield chunk


def _note(decoder: MultipartDecoder, chunk: bytes, fields: tuple[str, ...], values: dict, name):
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

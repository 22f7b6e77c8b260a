"""Answering with a stored file: streamed from the file store, ``Range`` answered with 206 so a
broken download resumes, a strong ``ETag`` (its SHA-256), ``Accept-Ranges`` and ``Repr-Digest``
(RFC 9530) so the client checks what it got.

One range only: a request for several is answered whole (RFC 9110 lets a server ignore
``Range``); a ``bytes=`` range that cannot be read or lies past the end answers 416.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from urllib.parse import quote

from flask import Response, request

from .errors import PortalError
from .filestore import FileStore

_RANGE = re.compile(r"^bytes=\s*(\d*)\s*-\s*(\d*)\s*$")


@dataclass(frozen=True)
class Answer:
    """What ``send`` decided: the status and the bytes [start, end] it streams."""
    status: int
    start: int
    end: int  # inclusive; -1 for an empty file


def etag(sha256_hex: str) -> str:
    return f'"{sha256_hex}"'


def repr_digest(sha256_hex: str) -> str:
    return f"sha-256=:{base64.b64encode(bytes.fromhex(sha256_hex)).decode()}:"


def requested_range(header: str | None, size: int, tag: str, if_range: str | None) -> tuple[int, int] | None:
    """The one range to answer (None: the whole file); ``PortalError`` 416 when unsatisfiable."""
    if not header or (if_range is not None and if_range.strip() != tag):
        return None  # no Range, or a file changed since the client's copy: the whole file
    if not header.lower().startswith("bytes="):
        return None  # another unit: ignored
    if "," in header:
        return None  # several ranges: answered whole
    match = _RANGE.match(header)
    if match is None:
        raise _unsatisfiable(size)
    first, last = match.groups()
    if first == "" and last == "":
        raise _unsatisfiable(size)
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise _unsatisfiable(size)
        return max(0, size - length), size - 1
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if start >= size or (last != "" and int(last) < start):
        raise _unsatisfiable(size)
    return start, end


def _unsatisfiable(size: int) -> PortalError:
    return PortalError(416, "range_not_satisfiable", f"The file has {size} bytes: that range cannot be served.",
                       headers={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"})


def decide(size: int, sha256_hex: str) -> Answer:
    """For the current request: 304, 206 or 200 (416 raised)."""
    tag = etag(sha256_hex)
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and (if_none_match.strip() == "*" or tag in [t.strip() for t in if_none_match.split(",")]):
        return Answer(304, 0, -1)
    chosen = requested_range(request.headers.get("Range"), size, tag, request.headers.get("If-Range"))
    if chosen is None:
        return Answer(200, 0, size - 1)
    return Answer(206, *chosen)


def send(store: FileStore, key: str, size: int, sha256_hex: str, file_name: str, answer: Answer,
         content_type: str = "application/octet-stream") -> Response:
    """The response streaming ``answer``'s bytes of the stored file."""
    headers = {"ETag": etag(sha256_hex), "Accept-Ranges": "bytes", "Repr-Digest": repr_digest(sha256_hex),
               # Private: a shared cache must not keep one company's file for another.
               "Cache-Control": "private, no-cache",
               "Content-Disposition": _attachment(file_name)}
    if answer.status == 304:
        return Response(status=304, headers=headers)
    length = answer.end - answer.start + 1
    headers["Content-Length"] = str(length)
    if answer.status == 206:
        headers["Content-Range"] = f"bytes {answer.start}-{answer.end}/{size}"
    if request.method == "HEAD" or length == 0:
        body = iter(())
    else:
        body = store.open(key, answer.start, answer.end)
    # direct_passthrough: werkzeug hands the chunks on as they come, never joining them.
    return Response(body, status=answer.status, headers=headers, content_type=content_type,
                    direct_passthrough=True)


def _attachment(file_name: str) -> str:
    ascii_name = re.sub(r'[^A-Za-z0-9._-]', "_", file_name) or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name or ascii_name)}"



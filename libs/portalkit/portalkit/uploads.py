"""Receiving a large file in a multipart form, straight into the file store.

Werkzeug's own form parsing would spool the file to a temporary file first (and the portal's
8 MB body limit would refuse it); here the body is decoded as it arrives and the file part flows
chunk by chunk into ``FileStore.put``, which hashes and counts it. The other fields are small and
kept in memory. Anything refused after the file was stored deletes it: nothing is kept of a
refused upload.

A view that receives this way is marked ``@streamed_body`` so that the portal's input checks do
not parse the form themselves (``request_input``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

from .errors import PortalError
from .filestore import FileStore, StoredFile, TooLarge
from .request_input import UnreadableInput, check_text

CHUNK = 64 * 1024
MAX_FIELD_BYTES = 64 * 1024  # each field but the file
MAX_PARTS = 32
# What a form's field parts and boundaries may add to the file's own size.
FORM_OVERHEAD = MAX_PARTS * 1024 + 256 * 1024


def streamed_body(view):
    """Mark a view that reads its own body as a stream (see ``receive``)."""
    view.streams_body = True
    return view


@dataclass
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    stored: StoredFile | None = None
    file_name: str = ""


def too_large(limit: int) -> PortalError:
    return PortalError(413, "too_large", f"The file is larger than the {limit} bytes accepted.")


def _malformed(message: str = "The body is not a readable multipart form.") -> PortalError:
    return PortalError(400, "invalid_input", message, {"_schema": [message]})


def receive(store: FileStore, max_file_bytes: int, prefix: str, file_field: str = "file") -> Upload:
    """Read the request's multipart form: its fields, and its one file stored in ``store``."""
    if request.mimetype != "multipart/form-data":
        raise PortalError(415, "unsupported_media_type", "Send the release as multipart/form-data.")
    boundary = request.mimetype_params.get("boundary")
    if not boundary:
        raise _malformed("The multipart form names no boundary.")
    if request.content_length is not None and request.content_length > max_file_bytes + FORM_OVERHEAD:
        raise too_large(max_file_bytes)  # refused before a byte is read
    # This route's own body limit (None would fall back to the app's 8 MB one, for JSON bodies).
    request.max_content_length = max_file_bytes + FORM_OVERHEAD
    upload = Upload()
    try:
        _read(request.stream, boundary.encode("latin-1"), store, max_file_bytes, prefix, file_field, upload)
        check_text(upload.fields)
        check_text({"filename": upload.file_name}, file_field)
    except BaseException as error:
        if upload.stored is not None:
            store.delete(upload.stored.key)
            upload.stored = None
        if isinstance(error, TooLarge):
            raise too_large(max_file_bytes) from None
        if isinstance(error, RequestEntityTooLarge):
            raise PortalError(413, "too_large", "A field of the form is too large.") from None
        if isinstance(error, UnreadableInput):
            raise error.refusal() from None
        if isinstance(error, ValueError):
            raise _malformed() from None
        raise
    return upload


def _events(stream, decoder: MultipartDecoder):
    while True:
        chunk = stream.read(CHUNK)
        decoder.receive_data(chunk or None)
        while True:
            event = decoder.next_event()
            if isinstance(event, NeedData):
                break
            yield event
            if isinstance(event, Epilogue):
                return
        if not chunk:
            raise ValueError("the body ended before the form did")


def _read(stream, boundary: bytes, store: FileStore, max_file_bytes: int, prefix: str,
          file_field: str, upload: Upload) -> None:
    # Our own limit per field (below): the decoder's would count its buffer, file data included.
    decoder = MultipartDecoder(boundary, max_parts=MAX_PARTS)
    events = _events(stream, decoder)
    parts = 0

    def file_data():
        for event in events:
            if not isinstance(event, Data):
                raise ValueError("a file part without its data")
            yield event.data
            if not event.more_data:
                return

    for event in events:
        if isinstance(event, Epilogue):
            break
        parts += 1
        if parts > MAX_PARTS:
            raise ValueError("too many parts")
        if isinstance(event, File) and event.name == file_field:
            if upload.stored is not None:
                raise PortalError(400, "invalid_input", "Send one file.", {file_field: ["Send one file."]})
            upload.file_name = event.filename or ""
            upload.stored = store.put(file_data(), prefix=prefix, max_size=max_file_bytes)
        elif isinstance(event, (Field, File)):
            value = bytearray()
            for data in events:
                if not isinstance(data, Data):
                    raise ValueError("a field without its data")
                value += data.data
                if len(value) > MAX_FIELD_BYTES:
                    raise RequestEntityTooLarge()
                if not data.more_data:
                    break
            try:
                upload.fields[event.name] = bytes(value).decode("utf-8")
            except UnicodeDecodeError:
                raise PortalError(400, "invalid_input", "Some fields are invalid.",
                                  {event.name: ["Not UTF-8 text."]}) from None

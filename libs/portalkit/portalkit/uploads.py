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
    form = _receive_form(store, max_file_bytes, 1, prefix, None, file_field, keep_empty=True,
                         media_message="Send the file as multipart/form-data.")
    upload = Upload(fields={name: values[-1] for name, values in form.fields.items()})
    if form.files:
        upload.stored, upload.file_name = form.files[0].stored, form.files[0].file_name
    return upload


def receive_body(store: FileStore, max_file_bytes: int, prefix: str) -> StoredFile:
    """The request's raw body as one file (sent as such, e.g. ``application/edifact``), streamed
    into ``store``; 413 past ``max_file_bytes``, nothing kept."""
    if request.content_length is not None and request.content_length > max_file_bytes:
        raise too_large(max_file_bytes)  # refused before a byte is read
    request.max_content_length = max_file_bytes + 1  # past it, the store's own count refuses
    stream = request.stream

    def chunks():
        while chunk := stream.read(CHUNK):
            yield chunk
    try:
        return store.put(chunks(), prefix, max_size=max_file_bytes)
    except (TooLarge, RequestEntityTooLarge):
        raise too_large(max_file_bytes) from None


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


# --- the form's reader, for one file (``receive``) or several (``receive_files``) ----------------
HEAD_BYTES = 4096  # what ``inspect`` is shown of each file to tell its type by its content


class RefusedFile(Exception):
    """``inspect`` refuses a file (its content is not of an accepted type)."""

    def __init__(self, file_name: str, reason: str):
        super().__init__(reason)
        self.file_name, self.reason = file_name, reason


@dataclass
class ReceivedFile:
    stored: StoredFile
    file_name: str
    content_type: str


@dataclass
class MultiUpload:
    """A form's fields (each name's values in order) and its files, stored."""
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[ReceivedFile] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        values = self.fields.get(name)
        return values[-1] if values else None


def receive_files(store: FileStore, max_file_bytes: int, max_files: int, prefix: str, inspect,
                  file_field: str = "attachments", what: str = "the form") -> MultiUpload:
    """Read a multipart form with up to ``max_files`` files in ``file_field`` parts, each streamed
    into ``store`` up to ``max_file_bytes``. ``inspect(head, file_name)`` sees each file's first
    bytes and answers the content type it accepts, or raises ``RefusedFile``. Anything refused —
    one file too large (413), refused (400 ``file_refused``, naming the file), too many, a bad
    field — deletes every file stored so far: nothing of a refused submission is kept."""
    return _receive_form(store, max_file_bytes, max_files, prefix, inspect, file_field,
                         media_message=f"Send {what} as multipart/form-data or JSON.")


def _receive_form(store: FileStore, max_file_bytes: int, max_files: int, prefix: str, inspect,
                  file_field: str, media_message: str, keep_empty: bool = False) -> MultiUpload:
    if request.mimetype != "multipart/form-data":
        raise PortalError(415, "unsupported_media_type", media_message)
    boundary = request.mimetype_params.get("boundary")
    if not boundary:
        raise _malformed("The multipart form names no boundary.")
    limit = max_files * max_file_bytes + FORM_OVERHEAD
    if request.content_length is not None and request.content_length > limit:
        raise too_large(max_file_bytes)  # refused before a byte is read
    # This route's own body limit (None would fall back to the app's 8 MB one, for JSON bodies).
    request.max_content_length = limit
    upload = MultiUpload()
    try:
        _read_form(request.stream, boundary.encode("latin-1"), store, max_file_bytes, max_files, prefix,
                   inspect, file_field, upload, keep_empty)
        check_text({name: value for name, values in upload.fields.items() for value in values})
        for received in upload.files:
            check_text({"filename": received.file_name}, file_field)
    except BaseException as error:
        for received in upload.files:
            store.delete(received.stored.key)
        upload.files.clear()
        if isinstance(error, TooLarge):
            raise too_large(max_file_bytes) from None
        if isinstance(error, RefusedFile):
            raise PortalError(400, "file_refused", f"The file {error.file_name!r} is refused: {error.reason}",
                              {file_field: [f"{error.file_name}: {error.reason}"]}) from None
        if isinstance(error, RequestEntityTooLarge):
            raise PortalError(413, "too_large", "A field of the form is too large.") from None
        if isinstance(error, UnreadableInput):
            raise error.refusal() from None
        if isinstance(error, ValueError):
            raise _malformed() from None
        raise
    return upload


def _inspected(data, file_name: str, inspect, kept: list):
    """Pass the file's chunks on, once ``inspect`` has accepted its first ``HEAD_BYTES``."""
    head = b""
    pending = []
    for chunk in data:
        if kept:
            yield chunk
            continue
        head += chunk
        pending.append(chunk)
        if len(head) >= HEAD_BYTES:
            kept.append(inspect(head[:HEAD_BYTES], file_name))
            yield from pending
            pending = []
    if not kept:
        kept.append(inspect(head, file_name))
        yield from pending


def _read_form(stream, boundary: bytes, store: FileStore, max_file_bytes: int, max_files: int, prefix: str,
               inspect, file_field: str, upload: MultiUpload, keep_empty: bool = False) -> None:
    """Decode the form into ``upload``: each ``file_field`` part streamed into ``store`` (seen by
    ``inspect`` first when given), the other fields kept. ``keep_empty`` keeps a file of no bytes
    as it came, name and all (an operator's upload), instead of refusing it (an attachment)."""
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
            if len(upload.files) >= max_files:
                if max_files == 1:
                    raise PortalError(400, "invalid_input", "Send one file.", {file_field: ["Send one file."]})
                raise PortalError(400, "invalid_input", f"Send at most {max_files} files.",
                                  {file_field: [f"At most {max_files} files."]})
            if keep_empty:
                upload.files.append(ReceivedFile(store.put(file_data(), prefix=prefix, max_size=max_file_bytes),
                                                 event.filename or "", event.headers.get("Content-Type", "")))
                continue
            name = (event.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:255] or "attachment"
            kept: list = []
            stored = store.put(_inspected(file_data(), name, inspect, kept), prefix=prefix, max_size=max_file_bytes)
            if stored.size == 0:
                store.delete(stored.key)
                if not event.filename:
                    continue  # a browser's empty file input: no file chosen
                raise RefusedFile(name, "the file is empty.")
            upload.files.append(ReceivedFile(stored, name, kept[0]))
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
                upload.fields.setdefault(event.name, []).append(bytes(value).decode("utf-8"))
            except UnicodeDecodeError:
                raise PortalError(400, "invalid_input", "Some fields are invalid.",
                                  {event.name: ["Not UTF-8 text."]}) from None

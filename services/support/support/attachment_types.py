"""Which attachments a request takes, told by their content, never by their name: documents,
images, archives and plain text (logs, CSV). Programs, scripts for a browser and anything
unrecognised are refused."""
from __future__ import annotations

from portalkit.uploads import RefusedFile

# Leading bytes → the type stored (and answered on download).
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    # ZIP, and the office formats built on it (docx, xlsx, odt…).
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    # The older office formats (doc, xls: OLE compound files).
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
)
# Text that a browser would run or render as a page if it were ever served inline.
_MARKUP = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml")
EMPTY = "application/x-empty"


def inspect(head: bytes, file_name: str) -> str:
    """The content type of a file whose first bytes are ``head``; ``RefusedFile`` otherwise."""
    if not head:
        return EMPTY
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if _is_text(head):
        lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if lowered.startswith(_MARKUP):
            raise RefusedFile(file_name, "web pages and scripts are not accepted.")
        return "text/plain"
    raise RefusedFile(file_name, "its content is not of an accepted type "
                                 "(PDF, images, office documents, archives, plain text).")


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as error:
        # The head may cut a character in two: only its last three bytes may be incomplete.
        if error.start >= len(head) - 3 and error.reason == "unexpected end of data":
            return True
        try:
            head.decode("cp1252")  # Windows logs and CSV exports
        except UnicodeDecodeError:
            return False
        return all(byte >= 0x20 or byte in b"\t\r\n\x0c" for byte in head)

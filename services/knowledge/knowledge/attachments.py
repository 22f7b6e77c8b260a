"""Articles' attachments: a PDF or a text file, streamed into the file store, its type checked by
its content (not by its name), its text extracted for the search (pypdf for PDFs, UTF-8 text
decoded), at most ``PORTAL_KNOWLEDGE_ATTACHMENT_MAX_BYTES``."""
from __future__ import annotations

import codecs
import io
import logging
from dataclasses import dataclass

from portalkit.errors import PortalError
from portalkit.filestore import FileStore, StoredFile
from portalkit.settings import env_int

log = logging.getLogger(__name__)
MAX_TEXT = 200_000  # characters of an attachment's text kept for the search
MAX_PAGES = 500


@dataclass(frozen=True)
class AttachmentSettings:
    max_bytes: int

    @classmethod
    def load(cls) -> "AttachmentSettings":
        return cls(max_bytes=env_int("PORTAL_KNOWLEDGE_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


def unsupported() -> PortalError:
    return PortalError(415, "unsupported_file_type", "Attach a PDF or a UTF-8 text file.",
                       {"file": ["Not a PDF nor a UTF-8 text file."]})


def examine(store: FileStore, stored: StoredFile) -> tuple[str, str]:
    """The stored file's content type and text; 415 when it is neither a PDF nor UTF-8 text."""
    head = b"".join(store.open(stored.key, 0, min(stored.size, 1024) - 1)) if stored.size else b""
    if head.startswith(b"%PDF-"):
        return "application/pdf", _pdf_text(store, stored)
    return "text/plain; charset=utf-8", _plain_text(store, stored)


def _pdf_text(store: FileStore, stored: StoredFile) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    content = io.BytesIO(b"".join(store.open(stored.key)))
    try:
        reader = PdfReader(content)
        pieces, length = [], 0
        for number, page in enumerate(reader.pages):
            if number >= MAX_PAGES or length >= MAX_TEXT:
                break
            piece = page.extract_text() or ""
            pieces.append(piece)
            length += len(piece)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        log.info("unreadable PDF attachment: %s", error)
        raise PortalError(400, "unreadable_file", "This PDF cannot be read.", {"file": ["Unreadable PDF."]}) from None
    return " ".join(" ".join(pieces).split())[:MAX_TEXT]


def _plain_text(store: FileStore, stored: StoredFile) -> str:
    decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
    kept, length = [], 0
    try:
        for chunk in store.open(stored.key):
            if b"\x00" in chunk:
                raise unsupported()
            text = decoder.decode(chunk)
            if length < MAX_TEXT:
                kept.append(text)
                length += len(text)
        kept.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        raise unsupported() from None
    return " ".join("".join(kept).split())[:MAX_TEXT]

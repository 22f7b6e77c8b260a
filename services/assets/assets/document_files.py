"""A document's PDF: checked by its content (the ``%PDF-`` magic, and pypdf can open it and count
its pages), and copied aside while it streams into the file store so that the check reads it back
from the local disk, never from the store nor from memory."""
from __future__ import annotations

import logging
import tempfile
from typing import BinaryIO, Iterable

from pypdf import PdfReader

from portalkit.filestore import FileStore, StoredFile

log = logging.getLogger(__name__)
MAGIC = b"%PDF-"
CHUNK = 256 * 1024  # what one read of a file takes
# Kept in memory up to this, on disk past it.
SPOOL_BYTES = 1024 * 1024


def is_pdf(handle: BinaryIO) -> bool:
    """True when the file starts as a PDF does and pypdf reads its pages."""
    handle.seek(0)
    if handle.read(len(MAGIC)) != MAGIC:
        return False
    handle.seek(0)
    try:
        reader = PdfReader(handle, strict=False)
        return len(reader.pages) >= 1
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on broken files: all mean "not a PDF"
        log.info("a file starting as a PDF could not be read as one", exc_info=True)
        return False
    finally:
        handle.seek(0)


def spool() -> BinaryIO:
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)


class CopyingStore(FileStore):
    """A file store that also writes what it stores into ``copy`` (to check it after)."""

    def __init__(self, store: FileStore, copy: BinaryIO):
        self.store, self.copy = store, copy

    def put(self, chunks: Iterable[bytes], prefix: str = "files", max_size: int | None = None) -> StoredFile:
        def copied():
            for chunk in chunks:
                self.copy.write(chunk)
                yield chunk
        return self.store.put(copied(), prefix=prefix, max_size=max_size)

    def open(self, key, start=0, end=None):
        return self.store.open(key, start, end)

    def delete(self, key) -> None:
        self.store.delete(key)

"""PDFs and ZIPs for the documents' tests: a real one-page PDF (pypdf writes it), of any size."""
from __future__ import annotations

import io
import os
import zipfile

from pypdf import PdfWriter


def pdf(size: int = 0, text: str = "") -> bytes:
    """A one-page PDF, padded to about ``size`` bytes with an attachment of random bytes."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Title": text})
    if size:
        writer.add_attachment("padding.bin", os.urandom(size))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bulk_zip(index: str, files: dict[str, bytes], index_name: str = "index.csv", encoding: str = "utf-8") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(index_name, index.encode(encoding))
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()

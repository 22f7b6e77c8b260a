"""The settings of the administrative documents (environment variables); the file store's own are
portalkit.filestore's (``PORTAL_FILESTORE_URL``…)."""
from __future__ import annotations

from dataclasses import dataclass

from portalkit.settings import env_int


@dataclass(frozen=True)
class DocumentSettings:
    max_bytes: int  # the largest PDF (413 on a single upload, a rejected line in a bulk one)
    import_max_bytes: int  # the largest ZIP of a bulk upload (413 past it)
    import_max_lines: int  # the most lines of a bulk upload's CSV index (and members of its ZIP)
    import_stale_seconds: int  # a running bulk upload silent this long is taken up again

    @classmethod
    def load(cls) -> "DocumentSettings":
        return cls(max_bytes=env_int("PORTAL_ASSETS_DOCUMENT_MAX_BYTES", 8 * 1024 ** 2),
                   import_max_bytes=env_int("PORTAL_ASSETS_DOCUMENT_IMPORT_MAX_BYTES", 4 * 1024 ** 3),
                   import_max_lines=env_int("PORTAL_ASSETS_DOCUMENT_IMPORT_MAX_LINES", 20_000),
                   import_stale_seconds=env_int("PORTAL_ASSETS_DOCUMENT_IMPORT_STALE_SECONDS", 300))

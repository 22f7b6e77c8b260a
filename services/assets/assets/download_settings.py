"""The settings of the updates' downloads (environment variables); the file store's own are
portalkit.filestore's (``PORTAL_FILESTORE_URL``…)."""
from __future__ import annotations

from dataclasses import dataclass

from portalkit.settings import env_int


@dataclass(frozen=True)
class DownloadSettings:
    release_max_bytes: int  # the largest update file an operator may publish (413 past it)

    @classmethod
    def load(cls) -> "DownloadSettings":
        return cls(release_max_bytes=env_int("PORTAL_ASSETS_RELEASE_MAX_BYTES", 4 * 1024 ** 3))

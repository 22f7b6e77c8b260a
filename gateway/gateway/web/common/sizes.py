"""File sizes as people read them (the downloads list, the back office's updates)."""
from __future__ import annotations


def size_text(size: int) -> str:
    """A file size for people (binary units, one decimal)."""
    value, unit = float(size or 0), "B"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            break
        value /= 1024
    return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"

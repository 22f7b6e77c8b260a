"""A ZIP archive written as it is sent: members (stored or deflated) read from iterators of
bytes, the archive yielded chunk by chunk — never whole in memory, whatever its size (ZIP64 past
4 GiB). ``ZipWriter.add`` queues members, ``flush`` writes them, ``close`` ends the archive."""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterable, Iterator, Union

Source = Union[bytes, Iterable[bytes], Callable[[], Iterable[bytes]]]
# Flags: bit 3 — sizes and CRC in a data descriptor after the data (unknown when the header is
# sent); bit 11 — the name is UTF-8.
FLAGS = 0x0808
STORED, DEFLATED = 0, 8
LIMIT = 0xFFFFFFFF


@dataclass
class _Entry:
    name: bytes
    method: int
    time: int
    date: int
    offset: int
    crc: int = 0
    compressed: int = 0
    size: int = 0


def _dos(moment: datetime | None) -> tuple[int, int]:
    moment = (moment or datetime.now(timezone.utc)).astimezone(timezone.utc)
    year = min(max(moment.year, 1980), 2107)
    return ((moment.hour << 11) | (moment.minute << 5) | (moment.second // 2),
            ((year - 1980) << 9) | (moment.month << 5) | moment.day)


def _chunks(source: Source) -> Iterable[bytes]:
    if isinstance(source, (bytes, bytearray)):
        return (bytes(source),)
    if callable(source):  # opened only when the member is written (a file, a stream)
        return source()
    return source


class ZipWriter:
    """One archive being written; each call's chunks go out in the order they are yielded."""

    def __init__(self):
        self._entries: list[_Entry] = []
        self._queued: list[tuple[str, Source, bool, datetime | None]] = []
        self._offset = 0
        self._names: set[str] = set()

    def add(self, name: str, source: Source, compress: bool = True, modified: datetime | None = None) -> None:
        """Queue a member; ``source`` is read only when ``flush``/``close`` writes it."""
        if name in self._names:
            raise ValueError(f"the archive already has a member {name!r}")
        self._names.add(name)
        self._queued.append((name, source, compress, modified))

    def flush(self) -> Iterator[bytes]:
        """Write the queued members."""
        while self._queued:
            name, source, compress, modified = self._queued.pop(0)
            yield from self._member(name, source, compress, modified)

    def close(self) -> Iterator[bytes]:
        """Write the queued members, then the central directory."""
        yield from self.flush()
        yield self._emit(self._directory())

    def _emit(self, chunk: bytes) -> bytes:
        self._offset += len(chunk)
        return chunk

    def _member(self, name: str, source: Source, compress: bool, modified: datetime | None) -> Iterator[bytes]:
        encoded = name.encode("utf-8")
        time, date = _dos(modified)
        entry = _Entry(encoded, DEFLATED if compress else STORED, time, date, self._offset)
        yield self._emit(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, FLAGS, entry.method, time, date, 0, 0, 0,
                                     len(encoded), 0) + encoded)
        packer = zlib.compressobj(6, zlib.DEFLATED, -15) if compress else None
        for chunk in _chunks(source):
            if not chunk:
                continue
            entry.crc = zlib.crc32(chunk, entry.crc)
            entry.size += len(chunk)
            out = packer.compress(chunk) if packer else chunk
            if out:
                entry.compressed += len(out)
                yield self._emit(out)
        if packer:
            out = packer.flush()
            entry.compressed += len(out)
            yield self._emit(out)
        if entry.size > LIMIT or entry.compressed > LIMIT:
            # Sizes past 4 GiB need ZIP64 in the local header, unknown when it was sent.
            raise ValueError(f"member {name!r} is larger than 4 GiB")
        yield self._emit(struct.pack("<IIII", 0x08074B50, entry.crc, entry.compressed, entry.size))
        self._entries.append(entry)

    def _directory(self) -> bytes:
        start = self._offset
        parts = []
        for entry in self._entries:
            extra = b""
            offset = entry.offset
            if offset >= LIMIT:  # ZIP64: the member starts past 4 GiB
                extra, offset = struct.pack("<HHQ", 0x0001, 8, entry.offset), LIMIT
            version = 45 if extra else 20
            parts.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, version, version, FLAGS, entry.method,
                                     entry.time, entry.date, entry.crc, entry.compressed, entry.size,
                                     len(entry.name), len(extra), 0, 0, 0, 0, offset) + entry.name + extra)
        directory = b"".join(parts)
        size, count = len(directory), len(self._entries)
        tail = b""
        if start >= LIMIT or size >= LIMIT or count >= 0xFFFF:
            end64 = start + size
            tail = (struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, size, start)
                    + struct.pack("<IIQI", 0x07064B50, 0, end64, 1))
        tail += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, 0xFFFF), min(count, 0xFFFF),
                            min(size, LIMIT), min(start, LIMIT), 0)
        return directory + tail


def stream(members: Iterable[tuple[str, Source]], compress: bool = True) -> Iterator[bytes]:
    """A whole archive of ``(name, source)`` members."""
    writer = ZipWriter()
    for name, source in members:
        writer.add(name, source, compress)
        yield from writer.flush()
    yield from writer.close()

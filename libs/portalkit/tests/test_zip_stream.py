"""The streamed ZIP: read back by zipfile (stored and deflated members, UTF-8 names, empty and
lazily opened members), written chunk by chunk without holding a large member, ZIP64 offsets."""
from __future__ import annotations

import io
import os
import zipfile

import pytest

from portalkit import zip_stream


def read(chunks) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    return archive


def test_members_stored_and_deflated_read_back():
    writer = zip_stream.ZipWriter()
    random_bytes = os.urandom(70_000)
    writer.add("données/liasse.ped", [b"UNA:+.? '", b"UNB+UNOC:3'" * 1000])
    writer.add("random.bin", lambda: iter([random_bytes[:1000], random_bytes[1000:]]), compress=False)
    writer.add("empty.txt", b"")
    archive = read(writer.close())
    assert archive.namelist() == ["données/liasse.ped", "random.bin", "empty.txt"]
    assert archive.read("données/liasse.ped") == b"UNA:+.? '" + b"UNB+UNOC:3'" * 1000
    assert archive.read("random.bin") == random_bytes and archive.read("empty.txt") == b""
    assert archive.getinfo("random.bin").compress_type == zipfile.ZIP_STORED
    assert archive.getinfo("données/liasse.ped").compress_type == zipfile.ZIP_DEFLATED


def test_a_large_member_goes_out_in_chunks_never_whole():
    chunk = os.urandom(64 * 1024)

    def source():
        for _ in range(160):  # 10 MiB
            yield chunk

    sizes = [len(part) for part in zip_stream.stream([("big.bin", source)], compress=False)]
    assert sum(sizes) > 10 * 1024 * 1024 and max(sizes) <= 64 * 1024 + 100


def test_members_are_opened_only_when_written():
    opened = []
    writer = zip_stream.ZipWriter()
    writer.add("a", lambda: opened.append("a") or [b"a"])
    assert opened == []
    first = list(writer.flush())
    writer.add("b", lambda: opened.append("b") or [b"b"])
    assert opened == ["a"]
    archive = read(first + list(writer.close()))
    assert opened == ["a", "b"] and archive.read("b") == b"b"


def test_a_name_twice_is_refused():
    writer = zip_stream.ZipWriter()
    writer.add("a", b"1")
    with pytest.raises(ValueError):
        writer.add("a", b"2")


def test_offsets_past_4_gib_use_zip64(monkeypatch):
    # Pretend 4 GiB were written already: the second member's offset and the directory need ZIP64.
    writer = zip_stream.ZipWriter()
    writer.add("first", b"1")
    head = b"".join(writer.flush())
    writer._offset += 5 * 1024 ** 3
    writer.add("second", b"2", compress=False)
    tail = b"".join(writer.close())
    assert b"PK\x06\x06" in tail and b"PK\x06\x07" in tail
    entry = tail.index(b"PK\x01\x02", tail.index(b"PK\x01\x02") + 1)
    assert tail[entry + 42:entry + 46] == b"\xff\xff\xff\xff"  # the offset moved to the ZIP64 extra
    assert head.startswith(b"PK\x03\x04")

"""The file store on both backends: the folder and S3, the latter against a real S3-speaking
server (moto's standalone server, started here as a process on a free port), not a mock object."""
from __future__ import annotations

import hashlib
import os
import uuid

import pytest

from portalkit import filestore
from portalkit.filestore import FolderStore, MissingFile, TooLarge
from portalkit.testing_s3 import s3_server


@pytest.fixture(scope="module")
def s3_url(tmp_path_factory):
    with s3_server() as server:
        yield server


@pytest.fixture(params=["folder", "s3"])
def store(request, tmp_path, monkeypatch):
    if request.param == "folder":
        return FolderStore(tmp_path / "files")
    server = request.getfixturevalue("s3_url")
    for name, value in server.environment(f"bucket-{uuid.uuid4().hex[:12]}", "portal").items():
        monkeypatch.setenv(name, value)
    store = filestore.from_url(os.environ["PORTAL_FILESTORE_URL"])
    server.make_bucket(store.bucket)
    return store


def chunks_of(data: bytes, size: int = 100_000):
    for start in range(0, len(data), size):
        yield data[start:start + size]


def test_a_file_put_reads_back_whole_and_by_range(store):
    # Past one S3 part, so that the multipart path is the one taken.
    data = os.urandom(filestore.S3_PART + 123_456)
    stored = store.put(chunks_of(data), prefix="releases")
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.key.startswith("releases/")
    assert b"".join(store.open(stored.key)) == data
    assert b"".join(store.open(stored.key, 10, 19)) == data[10:20]
    assert b"".join(store.open(stored.key, len(data) - 5)) == data[-5:]
    store.delete(stored.key)
    with pytest.raises(MissingFile):
        b"".join(store.open(stored.key))


def test_a_small_file_and_an_empty_one(store):
    small = store.put([b"hello ", b"world"])
    assert (small.size, small.sha256) == (11, hashlib.sha256(b"hello world").hexdigest())
    assert b"".join(store.open(small.key)) == b"hello world"
    empty = store.put([])
    assert empty.size == 0 and b"".join(store.open(empty.key)) == b""


def test_too_large_keeps_nothing(store):
    with pytest.raises(TooLarge):
        store.put(chunks_of(os.urandom(filestore.S3_PART * 2)), max_size=filestore.S3_PART + 1)
    assert _nothing_kept(store)


def test_a_transfer_that_fails_midway_leaves_nothing(store):
    def broken():
        yield os.urandom(filestore.S3_PART)
        yield b"more"
        raise ConnectionResetError("the client went away")
    with pytest.raises(ConnectionResetError):
        store.put(broken())
    assert _nothing_kept(store)


def _nothing_kept(store) -> bool:
    if isinstance(store, FolderStore):
        return [p for p in store.root.rglob("*") if p.is_file()] == []
    client = store.client
    listed = client.list_objects_v2(Bucket=store.bucket).get("KeyCount", 0)
    uploads = client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
    return listed == 0 and uploads == []


def test_the_settings_choose_the_backend(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_FILESTORE_URL", f"file://{tmp_path}/x")
    assert isinstance(filestore.from_url(filestore.filestore_url()), FolderStore)
    with pytest.raises(filestore.SettingsError):
        filestore.from_url("ftp://nowhere")
    with pytest.raises(filestore.SettingsError):
        filestore.from_url("s3:///prefix-without-bucket")

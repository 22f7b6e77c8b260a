"""The file store: update packages, documents and attachments, behind one small interface.

``put`` takes a stream of chunks and answers the new file's key, size and SHA-256, both computed
while it streams; ``open`` streams a byte range back; ``delete`` removes a file. Nothing is ever
read whole into memory, and a file half received is never visible: the folder backend writes
beside its final name and renames (atomic on one file system); the S3 backend sends a multipart
upload that only exists once completed, and aborts it on failure.

Chosen by ``PORTAL_FILESTORE_URL``: ``file:///path`` (the embedded default, ``var/files``) or
``s3://bucket/prefix``, with ``PORTAL_FILESTORE_S3_ENDPOINT_URL`` (a non-AWS server such as
MinIO or Ceph), ``PORTAL_FILESTORE_S3_REGION``, and credentials from
``PORTAL_FILESTORE_S3_ACCESS_KEY_ID``/``..._SECRET_ACCESS_KEY`` or boto3's usual chain
(``AWS_*`` variables, instance roles).
"""
from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlparse

from .settings import SettingsError, env, var_dir

CHUNK = 256 * 1024  # what one read hands on: large enough for throughput, small beside RSS
# S3 wants parts of at least 5 MiB (but the last): the one buffer the S3 backend holds.
S3_PART = 8 * 1024 * 1024


class TooLarge(Exception):
    """The stream went past the size allowed; nothing of it was kept."""

    def __init__(self, limit: int):
        super().__init__(f"larger than {limit} bytes")
        self.limit = limit


class MissingFile(Exception):
    """No file under that key."""


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    sha256: str  # hex


class FileStore:
    """What every backend offers."""

    def put(self, chunks: Iterable[bytes], prefix: str = "files", max_size: int | None = None) -> StoredFile:
        raise NotImplementedError

    def open(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The bytes ``start`` through ``end`` (inclusive; None: to the end), in chunks."""
        raise NotImplementedError

    def delete(self, key: str) -> None:
        raise NotImplementedError


def _new_key(prefix: str) -> str:
    return f"{prefix.strip('/')}/{uuid.uuid4().hex}"


def _counted(chunks: Iterable[bytes], digest, max_size: int | None) -> Iterator[bytes]:
    """Pass chunks on, hashing and counting them; stop with ``TooLarge`` past ``max_size``."""
    size = 0
    for chunk in chunks:
        if not chunk:
            continue
        size += len(chunk)
        if max_size is not None and size > max_size:
            raise TooLarge(max_size)
        digest.update(chunk)
        yield chunk


class FolderStore(FileStore):
    """Files in a folder (the embedded default; or a shared volume)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.incoming = self.root / ".incoming"
        self.incoming.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents or key.startswith("."):
            raise MissingFile(key)
        return path

    def put(self, chunks, prefix="files", max_size=None) -> StoredFile:
        key = _new_key(prefix)
        final = self._path(key)
        aside = self.incoming / f"{uuid.uuid4().hex}.part"
        digest, size = hashlib.sha256(), 0
        try:
            with open(aside, "wb") as handle:
                for chunk in _counted(chunks, digest, max_size):
                    handle.write(chunk)
                    size += len(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(aside, final)
        except BaseException:
            aside.unlink(missing_ok=True)
            raise
        return StoredFile(key, size, digest.hexdigest())

    def open(self, key, start=0, end=None) -> Iterator[bytes]:
        path = self._path(key)
        try:
            handle = open(path, "rb")
        except FileNotFoundError:
            raise MissingFile(key) from None
        return _read_range(handle, start, end)

    def delete(self, key) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except MissingFile:
            pass


def _read_range(handle, start: int, end: int | None) -> Iterator[bytes]:
    with handle:
        handle.seek(start)
        remaining = None if end is None else end - start + 1
        while remaining is None or remaining > 0:
            chunk = handle.read(CHUNK if remaining is None else min(CHUNK, remaining))
            if not chunk:
                return
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk


class S3Store(FileStore):
    """Files as objects of one S3 bucket, under a prefix (AWS, or any S3-speaking server)."""

    def __init__(self, bucket: str, prefix: str = "", client=None):
        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.client = client

    def _name(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, chunks, prefix="files", max_size=None) -> StoredFile:
        key = _new_key(prefix)
        name = self._name(key)
        digest, size = hashlib.sha256(), 0
        buffer, parts, upload_id = bytearray(), [], None
        try:
            for chunk in _counted(chunks, digest, max_size):
                buffer += chunk
                size += len(chunk)
                if len(buffer) >= S3_PART:
                    if upload_id is None:
                        upload_id = self.client.create_multipart_upload(Bucket=self.bucket, Key=name)["UploadId"]
                    parts.append(self._send_part(name, upload_id, len(parts) + 1, bytes(buffer)))
                    buffer.clear()
            if upload_id is None:
                # Small enough for one call: an object appears whole or not at all.
                self.client.put_object(Bucket=self.bucket, Key=name, Body=bytes(buffer))
            else:
                if buffer:
                    parts.append(self._send_part(name, upload_id, len(parts) + 1, bytes(buffer)))
                self.client.complete_multipart_upload(Bucket=self.bucket, Key=name, UploadId=upload_id,
                                                      MultipartUpload={"Parts": parts})
        except BaseException:
            if upload_id is not None:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=name, UploadId=upload_id)
            raise
        return StoredFile(key, size, digest.hexdigest())

    def _send_part(self, name: str, upload_id: str, number: int, data: bytes) -> dict:
        answer = self.client.upload_part(Bucket=self.bucket, Key=name, UploadId=upload_id,
                                         PartNumber=number, Body=data)
        return {"PartNumber": number, "ETag": answer["ETag"]}

    def open(self, key, start=0, end=None) -> Iterator[bytes]:
        from botocore.exceptions import ClientError
        # The whole object is asked without a Range: an empty one has no byte 0 to start at.
        ranged = {} if start == 0 and end is None else {"Range": f"bytes={start}-{'' if end is None else end}"}
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._name(key), **ranged)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "InvalidRange"):
                raise MissingFile(key) from None
            raise
        return _stream_body(answer["Body"])

    def delete(self, key) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))


def _stream_body(body) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(CHUNK)
    finally:
        body.close()


def from_url(url: str) -> FileStore:
    """The store a ``PORTAL_FILESTORE_URL`` names."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return FolderStore(Path(parsed.path))
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise SettingsError("PORTAL_FILESTORE_URL s3://… must name a bucket")
        import boto3
        from botocore.config import Config
        credentials = {}
        if env("PORTAL_FILESTORE_S3_ACCESS_KEY_ID"):
            credentials = {"aws_access_key_id": env("PORTAL_FILESTORE_S3_ACCESS_KEY_ID"),
                           "aws_secret_access_key": env("PORTAL_FILESTORE_S3_SECRET_ACCESS_KEY")}
        client = boto3.client("s3", endpoint_url=env("PORTAL_FILESTORE_S3_ENDPOINT_URL"),
                              region_name=env("PORTAL_FILESTORE_S3_REGION", "us-east-1"),
                              config=Config(retries={"max_attempts": 3, "mode": "standard"},
                                            s3={"addressing_style": env("PORTAL_FILESTORE_S3_ADDRESSING", "auto")}),
                              **credentials)
        return S3Store(parsed.netloc, parsed.path, client)
    raise SettingsError(f"PORTAL_FILESTORE_URL must be file://… or s3://…, got {url!r}")


def filestore_url() -> str:
    return env("PORTAL_FILESTORE_URL") or f"file://{var_dir() / 'files'}"


_STORES: dict[str, FileStore] = {}


def default_store() -> FileStore:
    """The process's store, as the settings name it (one per URL: boto3 clients are thread-safe)."""
    url = filestore_url()
    if url not in _STORES:
        _STORES[url] = from_url(url)
    return _STORES[url]

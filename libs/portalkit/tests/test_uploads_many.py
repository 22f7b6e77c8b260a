"""``uploads.receive_files``: several files of one form streamed into the store, each typed by its
first bytes; a refused or too large one refuses the whole form and keeps nothing."""
from __future__ import annotations

import io

import pytest
from flask import Flask, jsonify

from portalkit import uploads
from portalkit.errors import register_error_handlers
from portalkit.filestore import FolderStore


def inspect(head: bytes, name: str) -> str:
    if head.startswith(b"MZ"):
        raise uploads.RefusedFile(name, "programs are not accepted.")
    return "application/pdf" if head.startswith(b"%PDF") else "text/plain"


@pytest.fixture
def store(tmp_path):
    return FolderStore(tmp_path / "files")


@pytest.fixture
def client(store):
    app = Flask(__name__)
    register_error_handlers(app)

    @app.post("/form")
    def form():
        upload = uploads.receive_files(store, 10_000, 3, prefix="tests", inspect=inspect)
        return jsonify(fields=upload.fields, files=[(f.file_name, f.content_type, f.stored.size) for f in upload.files])
    return app.test_client()


def stored(store) -> list:
    return [path for path in store.root.rglob("*") if path.is_file() and ".incoming" not in path.parts]


def post(client, files, **fields):
    data = {**fields, "attachments": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/form", data=data, content_type="multipart/form-data")


def test_several_files_and_repeated_fields(client, store):
    answer = post(client, [("a.pdf", b"%PDF-1.7" + b"x" * 9000), ("b.txt", b"hello")], tag=["one", "two"])
    assert answer.status_code == 200
    assert answer.get_json() == {"fields": {"tag": ["one", "two"]},
                                 "files": [["a.pdf", "application/pdf", 9008], ["b.txt", "text/plain", 5]]}
    assert len(stored(store)) == 2


def test_a_refused_file_keeps_nothing_and_is_named(client, store):
    answer = post(client, [("a.pdf", b"%PDF-1.7"), ("setup.pdf", b"MZ\x90\x00")])
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error["code"] == "file_refused" and "setup.pdf" in error["message"]
    assert stored(store) == []


def test_too_large_or_too_many_keeps_nothing(client, store):
    assert post(client, [("a.pdf", b"%PDF"), ("big.pdf", b"%PDF" + b"0" * 10_000)]).status_code == 413
    assert post(client, [(f"{n}.txt", b"x") for n in range(4)]).status_code == 400
    assert stored(store) == []


def test_an_empty_file_input_is_no_file(client, store):
    answer = client.post("/form", data={"attachments": (io.BytesIO(b""), "")}, content_type="multipart/form-data")
    assert answer.status_code == 200 and answer.get_json()["files"] == []
    assert post(client, [("empty.txt", b"")]).status_code == 400

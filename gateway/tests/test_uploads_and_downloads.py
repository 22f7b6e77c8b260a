"""Routes taking files (an update's upload) pass bodies past the portal's JSON limit through,
streamed, up to ``PORTAL_MAX_UPLOAD_BYTES``; large answers (a download) stream back with the
service's own headers (Range, ETag, Repr-Digest) intact."""
from __future__ import annotations

import io

from werkzeug.wrappers import Response

from portalkit.request_input import MAX_BODY_BYTES


def test_an_upload_route_takes_a_body_past_the_json_limit(client, services):
    body = b"x" * (MAX_BODY_BYTES + 1024 * 1024)
    answer = client.post("/api/operator/releases", data=body, content_type="multipart/form-data; boundary=b")
    assert answer.status_code == 200
    seen = services["assets"].last
    assert (seen.path, len(seen.body)) == ("/operator/releases", len(body))
    chunked = client.post("/api/operator/releases", input_stream=io.BytesIO(body),
                          headers={"Transfer-Encoding": "chunked", "Content-Type": "multipart/form-data; boundary=b"})
    assert chunked.status_code == 200 and len(services["assets"].last.body) == len(body)


def test_an_upload_past_the_gateway_s_limit_is_413_before_it_is_forwarded(services, monkeypatch):
    monkeypatch.setenv("PORTAL_MAX_UPLOAD_BYTES", str(MAX_BODY_BYTES + 10))
    from gateway.app import create_app
    client = create_app({"TESTING": True}).test_client()
    answer = client.post("/api/operator/releases", data=b"x" * (MAX_BODY_BYTES + 11),
                         content_type="multipart/form-data; boundary=b")
    assert answer.status_code == 413 and answer.get_json()["error"]["code"] == "too_large"
    assert services["assets"].received == []


def test_a_large_answer_streams_with_its_file_headers(client, services):
    data = bytes(range(256)) * 8192  # 2 MB, past the size read whole
    headers = {"ETag": '"abc"', "Accept-Ranges": "bytes", "Repr-Digest": "sha-256=:q1w2:",
               "Content-Range": f"bytes 0-{len(data) - 1}/{len(data) * 2}", "Cache-Control": "private, no-cache"}

    def answer(seen):
        return Response(iter([data[i:i + 65536] for i in range(0, len(data), 65536)]), 206, headers=headers,
                        content_type="application/octet-stream", direct_passthrough=True)
    services["assets"].routes[("GET", "/assets/releases/r1/file")] = answer
    got = client.get("/api/assets/releases/r1/file", headers={"Range": "bytes=0-"})
    assert got.status_code == 206 and got.data == data
    for name, value in headers.items():
        assert got.headers[name] == value
    assert services["assets"].last.headers["Range"] == "bytes=0-"

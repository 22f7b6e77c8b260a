"""Updates through the gateway, on both backends (the embedded one's files in its folder, the
production-like one's in S3, moto's real server): an operator publishes a release past the JSON
limit, a holder of "Download updates" whose contract covers the product lists it and downloads it
whole and by Range; the waiting count drops; another company's user gets 404, one without the
right 403; a bad Range 416; a file over the limit 413 with nothing stored."""
from __future__ import annotations

import base64
import hashlib
import os
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from management_scene import activate, register, subscribe  # noqa: E402

pytestmark = pytest.mark.mesh
DOWNLOAD = "Download updates"
NOTIFY = "Notification on new updates for download"
LIMIT = 12 * 1024 * 1024  # tests/conftest.py RELEASE_MAX_BYTES


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()




def _publish(mesh, operator, product_id: str, version: str, data: bytes):
    return operator.post(mesh.url("/api/operator/releases"), timeout=60, data={
        "product_id": product_id, "version": version, "channel": "stable", "released_on": "2026-11-20",
        "notes_en": "Year-end changes", "notes_fr": "Changements de fin d'année"},
        files={"file": (f"update-{version}.zip", data, "application/zip")})


@pytest.fixture(scope="module")
def scene(mesh):
    """Client holds the product under contract; Other has a contract but not the product."""
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    client = register(mesh, operator, tag, "Client", "Claire")
    other = register(mesh, operator, tag, "Other", "Oscar")
    product = _created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": f"ACC-{tag}", "name_en": "Accounting", "name_fr": "Comptabilité", "kind": "software",
        "brand": "Etafi", "domain": "Accounting", "serializable": False, "major_version": 7}))
    _created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
        "company_id": client["company"]["id"], "product_id": product["id"], "quantity": 1}))
    for company in (client, other):
        _created(operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
            "company_id": company["company"]["id"], "starts_on": "2026-01-01"}))
    holder = activate(mesh, client["email"], "Claire")
    outsider = activate(mesh, other["email"], "Oscar")
    subscribe(mesh, holder, DOWNLOAD)
    data = os.urandom(9 * 1024 * 1024)  # past the portal's 8 MB JSON limit: streamed through
    release = _created(_publish(mesh, operator, product["id"], "7.1", data))
    return {"operator": operator, "holder": holder, "outsider": outsider, "product": product,
            "release": release, "data": data, "client": client,
            "outsider_email": other["email"]}


def test_the_upload_is_stored_with_its_size_and_digest(scene):
    release, data = scene["release"], scene["data"]
    assert (release["size"], release["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert release["product"]["id"] == scene["product"]["id"]


def test_a_holder_lists_downloads_whole_and_by_range_and_the_waiting_count_drops(mesh, scene):
    holder, release, data = scene["holder"], scene["release"], scene["data"]
    listed = holder.get(mesh.url("/api/assets/releases"), params={"product": scene["product"]["id"]}, timeout=10)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert (body["total"], body["waiting_total"]) == (1, 1)
    [item] = body["items"]
    assert (item["id"], item["version"], item["waiting"], item["notes"], item["product"]["name"]) == (
        release["id"], "7.1", True, "Year-end changes", "Accounting")
    url = mesh.url(f"/api/assets/releases/{release['id']}/file")

    part = holder.get(url, headers={"Range": "bytes=1048576-1050623"}, timeout=30)
    assert part.status_code == 206 and part.content == data[1048576:1050624]
    assert part.headers["Content-Range"] == f"bytes 1048576-1050623/{len(data)}"
    assert holder.get(mesh.url("/api/assets/releases"), timeout=10).json()["waiting_total"] == 0

    whole = holder.get(url, timeout=60, stream=True)
    assert whole.status_code == 200
    digest, size = hashlib.sha256(), 0
    for chunk in whole.iter_content(256 * 1024):
        digest.update(chunk)
        size += len(chunk)
    assert (size, digest.hexdigest()) == (len(data), release["sha256"])
    assert whole.headers["ETag"] == f'"{release["sha256"]}"'
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert whole.headers["Repr-Digest"] == f"sha-256=:{base64.b64encode(bytes.fromhex(release['sha256'])).decode()}:"
    after = holder.get(mesh.url("/api/assets/releases"), params={"waiting": "true"}, timeout=10).json()
    assert (after["total"], after["waiting_total"]) == (0, 0)


def test_the_holders_of_the_notification_are_mailed_in_their_language(mesh, scene):
    # "Notification on new updates for download" is granted at activation (the catalog's seed).
    mail = mesh.wait_for_mail(scene["client"]["email"], subject="An update of Accounting is ready to download: version 7.1")
    assert mesh.url("/downloads") in mail.get_body(("plain",)).get_content()
    assert mesh.mails_to(scene["outsider_email"], "An update of Accounting is ready to download: version 7.1") == []


def test_a_bad_range_is_416(mesh, scene):
    url = mesh.url(f"/api/assets/releases/{scene['release']['id']}/file")
    for bad in (f"bytes={len(scene['data'])}-", "bytes=9-3", "bytes=x-y"):
        answer = scene["holder"].get(url, headers={"Range": bad}, timeout=10)
        assert answer.status_code == 416, bad
        assert answer.json()["error"]["code"] == "range_not_satisfiable"
        assert answer.headers["Content-Range"] == f"bytes */{len(scene['data'])}"


def test_without_the_right_403_and_another_companys_user_404(mesh, scene):
    outsider, release = scene["outsider"], scene["release"]
    url = mesh.url(f"/api/assets/releases/{release['id']}/file")
    assert outsider.get(url, timeout=10).status_code == 403
    assert outsider.get(mesh.url("/api/assets/releases"), timeout=10).status_code == 403
    subscribe(mesh, outsider, DOWNLOAD)  # Other's contract lets it hold the right, not the product
    refused = outsider.get(url, timeout=10)
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    assert outsider.get(mesh.url(f"/api/assets/releases/{release['id']}"), timeout=10).status_code == 404
    assert outsider.get(mesh.url("/api/assets/releases"), timeout=10).json()["total"] == 0
    assert scene["holder"].post(mesh.url("/api/operator/releases"), timeout=10,
                                files={"file": ("x.zip", b"x")}).status_code == 403


def test_too_large_is_413_with_nothing_stored_and_bad_fields_400(mesh, scene):
    operator, product = scene["operator"], scene["product"]
    stored = _stored_objects(mesh)  # the mesh is shared: other tests' files count too
    too_large = _publish(mesh, operator, product["id"], "7.2", os.urandom(LIMIT + 1))
    assert too_large.status_code == 413 and too_large.json()["error"]["code"] == "too_large"
    bad = _publish(mesh, operator, "no-such-product", "7.3", b"small")
    assert bad.status_code == 400 and "product_id" in bad.json()["error"]["fields"]
    listed = operator.get(mesh.url("/api/operator/releases"), params={"product": product["id"]}, timeout=10).json()
    assert [item["version"] for item in listed["items"]] == ["7.1"]
    assert _stored_objects(mesh) == stored


def _stored_objects(mesh) -> int:
    """The files the file store holds (the folder's, or the bucket's objects and open uploads)."""
    env = mesh.mesh.environment()
    url = env.get("PORTAL_FILESTORE_URL")
    if not url:
        root = Path(env["PORTAL_VAR_DIR"]) / "files"
        return len([p for p in root.rglob("*") if p.is_file()])
    from portalkit import filestore
    old = {name: os.environ.get(name) for name in env if name.startswith("PORTAL_FILESTORE_")}
    try:
        os.environ.update({name: env[name] for name in old})
        store = filestore.from_url(url)
        objects = store.client.list_objects_v2(Bucket=store.bucket).get("KeyCount", 0)
        uploads = store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
        return objects + len(uploads)
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_the_release_calendar_and_its_icalendar_feed(mesh, scene):
    operator, product = scene["operator"], scene["product"]
    line = _created(operator.post(mesh.url("/api/operator/calendar"), timeout=10, json={
        "product_id": product["id"], "version": "8.0", "forecast_on": "2027-03-01"}))
    assert line["status"] == "forecast"
    listed = scene["holder"].get(mesh.url("/api/assets/calendar"), params={"product": product["id"]}, timeout=10)
    assert listed.status_code == 200 and [item["version"] for item in listed.json()["items"]] == ["8.0"]
    feed = scene["holder"].get(mesh.url("/api/assets/calendar.ics"), params={"product": product["id"]}, timeout=10)
    assert feed.status_code == 200 and feed.headers["Content-Type"].startswith("text/calendar")
    assert b"SUMMARY:Accounting 8.0 (forecast)" in feed.content and b"DTSTART;VALUE=DATE:20270301" in feed.content
    outside = scene["outsider"].get(mesh.url("/api/assets/calendar"), timeout=10)  # 403 until it holds the right
    assert outside.status_code == 403 or outside.json()["total"] == 0
    refused = operator.post(mesh.url("/api/operator/calendar"), timeout=10, json={
        "product_id": product["id"], "version": "8.0", "forecast_on": "2027-03-01"})
    assert refused.status_code == 409

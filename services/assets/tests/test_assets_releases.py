"""Releases: operators publish them (a streamed multipart upload into the file store), the companies
whose contract covers the product list and download them (Range, ETag, Repr-Digest), each user's
downloads are counted."""
from __future__ import annotations

import base64
import hashlib
import io
import os

import pytest

from assets.models import Holding, Product, Release, ReleaseDownload

DOWNLOAD = "download-updates"


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    root = tmp_path / "files"
    monkeypatch.setenv("PORTAL_FILESTORE_URL", f"file://{root}")
    return root


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def world(handle, database, client, operator):
    """Two companies; c1 holds product p1 under a contract in force, c2 holds it without one."""
    for company in ("c1", "c2"):
        handle("CompanyRegistered", {"company_id": company, "number": company.upper(), "name": company})
    with database.transaction() as session:
        session.add(Product(id="p1", code="ACC", name_en="Accounting", name_fr="Comptabilité", kind="software"))
        session.add(Product(id="p2", code="PAY", name_en="Payroll", name_fr="Paie", kind="software"))
        session.flush()
        session.add(Holding(id="h1", company_id="c1", product_id="p1", quantity=1))
        session.add(Holding(id="h2", company_id="c2", product_id="p1", quantity=1))
    contract = client.post("/operator/contracts", json={"company_id": "c1", "starts_on": "2026-01-01"},
                           headers=operator).get_json()
    return {"contract_id": contract["id"]}


@pytest.fixture
def user(signed):
    return signed("u1", "c1", entitlements=frozenset({f"{DOWNLOAD}@c1"}), language="fr")


def publish(client, operator, data: bytes = b"update bytes", **fields):
    form = {"product_id": "p1", "version": "1.0", "channel": "stable", "released_on": "2026-11-20",
            "notes_en": "Fixes", "notes_fr": "Corrections", **fields}
    form = {k: v for k, v in form.items() if v is not None}
    if data is not None:
        form["file"] = (io.BytesIO(data), "update-1.0.zip")
    return client.post("/operator/releases", data=form, headers=operator, content_type="multipart/form-data")


def test_a_published_release_is_listed_and_downloaded_whole(client, world, operator, user, events, store):
    data = os.urandom(9 * 1024 * 1024)  # past the app's 8 MB body limit for JSON
    response = publish(client, operator, data)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["size"], body["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert events()[-1] == ("UpdateReleased", {
        "release_id": body["id"], "product": "ACC", "product_id": "p1", "product_name_en": "Accounting",
        "product_name_fr": "Comptabilité", "version": "1.0", "channel": "stable", "released_on": "2026-11-20",
        "company_ids": ["c1"]})

    listed = client.get("/assets/releases", headers=user).get_json()
    assert (listed["total"], listed["waiting_total"]) == (1, 1)
    item = listed["items"][0]
    assert (item["product"]["name"], item["notes"], item["waiting"], item["size"]) == (
        "Comptabilité", "Corrections", True, len(data))

    got = client.get(item["file_url"].removeprefix("/api"), headers=user)
    assert got.status_code == 200 and got.data == data
    assert got.headers["ETag"] == f'"{item["sha256"]}"'
    assert got.headers["Accept-Ranges"] == "bytes"
    assert got.headers["Repr-Digest"] == f"sha-256=:{base64.b64encode(hashlib.sha256(data).digest()).decode()}:"
    assert got.headers["Content-Length"] == str(len(data))
    after = client.get("/assets/releases", headers=user).get_json()
    assert (after["waiting_total"], after["items"][0]["waiting"]) == (0, False)
    assert client.get("/assets/releases?waiting=true", headers=user).get_json()["total"] == 0
    assert client.get("/assets/releases?waiting=false", headers=user).get_json()["total"] == 1
    narrowed = client.get("/assets/releases?product=elsewhere", headers=user).get_json()
    assert narrowed["total"] == 0  # the products to narrow by stay the offered ones, whatever the filter
    assert narrowed["products"] == [{"id": "p1", "code": "ACC", "name": "Comptabilité"}]


def test_ranges_resume_and_bad_ones_answer_416(client, world, operator, user, database):
    data = os.urandom(100_000)
    release_id = publish(client, operator, data).get_json()["id"]
    url = f"/assets/releases/{release_id}/file"
    part = client.get(url, headers={**user, "Range": "bytes=1000-1999"})
    assert part.status_code == 206 and part.data == data[1000:2000]
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    assert client.get(url, headers={**user, "Range": "bytes=99000-"}).data == data[99000:]
    assert client.get(url, headers={**user, "Range": "bytes=-10"}).data == data[-10:]
    for bad in ("bytes=100000-", "bytes=5-2", "bytes=abc", "bytes=-0"):
        refused = client.get(url, headers={**user, "Range": bad})
        assert refused.status_code == 416, bad
        assert refused.headers["Content-Range"] == f"bytes */{len(data)}"
        assert refused.get_json()["error"]["code"] == "range_not_satisfiable"
    # A resumption counts as the same download, not another.
    with database.transaction() as session:
        assert session.get(ReleaseDownload, (release_id, "u1")).times == 1
    tag = part.headers["ETag"]
    assert client.get(url, headers={**user, "If-None-Match": tag}).status_code == 304
    stale = client.get(url, headers={**user, "Range": "bytes=0-9", "If-Range": '"other"'})
    assert stale.status_code == 200 and len(stale.data) == len(data)


def test_who_may_download(client, world, operator, user, signed):
    release_id = publish(client, operator).get_json()["id"]
    url = f"/assets/releases/{release_id}/file"
    other = signed("u2", "c2", entitlements=frozenset({f"{DOWNLOAD}@c2"}))
    assert client.get(url, headers=other).status_code == 404  # c2 has no contract
    assert client.get("/assets/releases", headers=other).get_json()["total"] == 0
    no_right = signed("u3", "c1")
    assert client.get(url, headers=no_right).status_code == 403
    assert client.get("/assets/releases", headers=no_right).status_code == 403
    assert client.get(url, headers=signed(None)).status_code == 401
    assert client.get("/assets/releases/nope/file", headers=user).status_code == 404


def test_a_release_from_before_the_contract_ended_stays_downloadable(client, world, operator, user, today):
    before = publish(client, operator, version="1.0", released_on="2026-11-20").get_json()["id"]
    client.post(f"/operator/contracts/{world['contract_id']}/end", headers=operator)  # ends 2026-11-23
    after = publish(client, operator, version="1.1", released_on="2026-11-24").get_json()["id"]
    listed = client.get("/assets/releases", headers=user).get_json()
    assert [item["id"] for item in listed["items"]] == [before]
    assert client.get(f"/assets/releases/{before}/file", headers=user).status_code == 200
    assert client.get(f"/assets/releases/{after}/file", headers=user).status_code == 404


def test_bad_fields_answer_400_and_keep_nothing(client, world, operator, store):
    cases = [({"product_id": "nope"}, "product_id"), ({"version": ""}, "version"),
             ({"channel": "nightly"}, "channel"), ({"released_on": "yesterday"}, "released_on"),
             ({"released_on": None}, "released_on"), ({"extra": "x"}, "extra")]
    for fields, bad in cases:
        response = publish(client, operator, **fields)
        assert response.status_code == 400, fields
        assert bad in response.get_json()["error"]["fields"], response.get_json()
    missing_file = publish(client, operator, data=None)
    assert missing_file.status_code == 400 and "file" in missing_file.get_json()["error"]["fields"]
    assert stored_files(store) == []
    assert publish(client, operator).status_code == 201
    again = publish(client, operator)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "release_exists"
    assert len(stored_files(store)) == 1


def test_over_the_limit_answers_413_with_nothing_stored(client, world, operator, store, monkeypatch, database):
    monkeypatch.setenv("PORTAL_ASSETS_RELEASE_MAX_BYTES", "1000")
    response = publish(client, operator, os.urandom(1001))
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "too_large"
    assert stored_files(store) == []
    with database.transaction() as session:
        assert session.query(Release).count() == 0
    assert publish(client, operator, os.urandom(1000)).status_code == 201


def test_only_operators_publish_and_they_retire(client, world, operator, user):
    assert publish(client, user).status_code == 403
    release_id = publish(client, operator).get_json()["id"]
    assert client.get("/operator/releases", headers=operator).get_json()["total"] == 1
    assert client.post(f"/operator/releases/{release_id}/retire", headers=operator).status_code == 200
    assert client.get(f"/assets/releases/{release_id}/file", headers=user).status_code == 404
    assert client.get("/assets/releases", headers=user).get_json()["total"] == 0


def test_a_contract_naming_holdings_offers_only_their_products(client, handle, database, operator, signed, events):
    handle("CompanyRegistered", {"company_id": "c3", "number": "C3", "name": "c3"})
    with database.transaction() as session:
        session.add(Product(id="p1", code="ACC", name_en="Accounting", name_fr="Comptabilité", kind="software"))
        session.add(Product(id="p2", code="PAY", name_en="Payroll", name_fr="Paie", kind="software"))
        session.flush()
        session.add(Holding(id="h1", company_id="c3", product_id="p1", quantity=1))
        session.add(Holding(id="h2", company_id="c3", product_id="p2", quantity=1))
    contract = client.post("/operator/contracts", json={"company_id": "c3", "starts_on": "2026-01-01",
                                                        "holding_ids": ["h2"]}, headers=operator)
    assert contract.status_code == 201, contract.get_json()
    user = signed("u9", "c3", entitlements=frozenset({f"{DOWNLOAD}@c3"}))
    covered = publish(client, operator, product_id="p2", version="1.0").get_json()
    not_covered = publish(client, operator, product_id="p1", version="1.0").get_json()
    assert [item["id"] for item in client.get("/assets/releases", headers=user).get_json()["items"]] == [covered["id"]]
    assert client.get(f"/assets/releases/{not_covered['id']}/file", headers=user).status_code == 404
    told = {data["release_id"]: data["company_ids"] for kind, data in events() if kind == "UpdateReleased"}
    assert told == {covered["id"]: ["c3"], not_covered["id"]: []}
    # Ended, the contract still covers what came out while it was in force, and nothing newer.
    client.post(f"/operator/contracts/{contract.get_json()['id']}/end", headers=operator)
    later = publish(client, operator, product_id="p2", version="1.1", released_on="2026-11-24").get_json()
    assert [item["id"] for item in client.get("/assets/releases", headers=user).get_json()["items"]] == [covered["id"]]
    assert client.get(f"/assets/releases/{later['id']}/file", headers=user).status_code == 404


def test_the_operators_list_filters_by_channel_and_counts_downloads(client, world, operator, user, signed):
    stable = publish(client, operator).get_json()["id"]
    publish(client, operator, version="1.1-rc", channel="prerelease")
    other = signed("u2", "c1", entitlements=frozenset({f"{DOWNLOAD}@c1"}))
    for caller in (user, user, other):
        assert client.get(f"/assets/releases/{stable}/file", headers=caller).status_code == 200
    listed = client.get("/operator/releases?channel=stable", headers=operator).get_json()
    assert listed["total"] == 1
    assert (listed["items"][0]["id"], listed["items"][0]["downloads"], listed["items"][0]["download_times"]) == (
        stable, 2, 3)
    pre = client.get("/operator/releases?channel=prerelease", headers=operator).get_json()["items"]
    assert [(item["version"], item["downloads"], item["download_times"]) for item in pre] == [("1.1-rc", 0, 0)]
    assert client.get("/operator/releases?channel=beta", headers=operator).status_code == 400

"""Issue 11's last parts through the gateway, on both backends: the secret link of the release
calendar (made, read without signing in as its user sees it, renewed — the old one 404 — and gone
with the right), and the operators' updates page whose form streams a file past the pages' 8 MiB
limit to assets, refuses one over assets' limit with 413 and nothing stored; an operator's holding
records in the company's trail; the updates page's chart of downloads per release counts each download."""
from __future__ import annotations

import hashlib
import html
import os
import re
import sys
import uuid
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from management_scene import activate, register, subscribe  # noqa: E402

pytestmark = pytest.mark.mesh
DOWNLOAD = "Download updates"
LIMIT = 12 * 1024 * 1024  # tests/conftest.py RELEASE_MAX_BYTES
ACTION = re.compile(r'action="(/operator/releases\?csrf_token=[^"]+)"')
FEED = "/api/assets/feed-links/release_calendar"


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()




def _pages_of(mesh, api_session: requests.Session) -> requests.Session:
    """A browser-like session of the same user: the session token as the pages' cookie."""
    pages = requests.Session()
    pages.cookies.set("portal_session", api_session.headers["Authorization"].split(" ", 1)[1])
    return pages


@pytest.fixture(scope="module")
def scene(mesh):
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    client = register(mesh, operator, tag, "Feeds", "Fanny")
    other = register(mesh, operator, tag, "Far", "Fabien")
    products = [_created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": f"{code}-{tag}", "name_en": name, "name_fr": name, "kind": "software", "brand": "Etafi",
        "domain": "Accounting", "serializable": False, "major_version": 7})) for code, name in (
        ("CAL", "Calendar suite"), ("FAR", "Faraway suite"))]
    holding = _created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
        "company_id": client["company"]["id"], "product_id": products[0]["id"], "quantity": 1}))
    _created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
        "company_id": other["company"]["id"], "product_id": products[1]["id"], "quantity": 1}))
    for company in (client, other):
        _created(operator.post(mesh.url("/api/operator/contracts"), timeout=10, json={
            "company_id": company["company"]["id"], "starts_on": "2026-01-01"}))
    for product, version in ((products[0], "8.0"), (products[1], "9.0")):
        _created(operator.post(mesh.url("/api/operator/calendar"), timeout=10, json={
            "product_id": product["id"], "version": version, "forecast_on": "2027-03-01"}))
    holder = activate(mesh, client["email"], "Fanny")
    subscription = subscribe(mesh, holder, DOWNLOAD)
    return {"operator": operator, "holder": holder, "subscription": subscription, "products": products,
            "client": client, "holding": holding, "tag": tag}


def test_the_calendar_link_shows_the_users_calendar_until_renewed_or_the_right_ends(mesh, scene):
    holder = scene["holder"]
    assert holder.get(mesh.url(FEED), timeout=10).status_code == 404
    first = _created(holder.post(mesh.url(FEED), timeout=10))
    feed = requests.get(mesh.url(first["path"]), timeout=10)  # no sign-in: the secret is the key
    assert feed.status_code == 200 and feed.headers["Content-Type"].startswith("text/calendar"), feed.text
    assert "BEGIN:VCALENDAR" in feed.text and "Calendar suite" in feed.text
    assert "Faraway suite" not in feed.text  # another company's product: not this user's to see
    assert holder.get(mesh.url(FEED), timeout=10).json()["last_read_at"]
    second = _created(holder.post(mesh.url(FEED), timeout=10))
    assert requests.get(mesh.url(first["path"]), timeout=10).status_code == 404
    assert requests.get(mesh.url(second["path"]), timeout=10).status_code == 200
    assert requests.get(mesh.url("/feeds/release-calendar/" + "x" * 43 + ".ics"), timeout=10).status_code == 404
    # The right ends: the very next read of the link finds nothing.
    assert holder.delete(mesh.url(f"/api/catalog/subscriptions/{scene['subscription']}"), timeout=10).status_code == 204
    assert requests.get(mesh.url(second["path"]), timeout=10).status_code == 404
    assert holder.post(mesh.url(FEED), timeout=10).status_code == 403
    scene["subscription"] = subscribe(mesh, holder, DOWNLOAD)
    assert requests.get(mesh.url(second["path"]), timeout=10).status_code == 200
    assert holder.delete(mesh.url(FEED), timeout=10).status_code == 204
    assert requests.get(mesh.url(second["path"]), timeout=10).status_code == 404


def _publish_page(mesh, pages: requests.Session, product_id: str, version: str, data: bytes):
    page = pages.get(mesh.url("/operator/releases"), timeout=10)
    assert page.status_code == 200, page.text
    action = html.unescape(ACTION.search(page.text).group(1))
    return pages.post(mesh.url(action), timeout=120, allow_redirects=False, data={
        "product_id": product_id, "version": version, "channel": "stable", "released_on": "2026-11-25",
        "notes_en": "From the page", "notes_fr": "Depuis la page"},
        files={"file": (f"calendar-{version}.zip", data, "application/zip")})


def test_the_updates_page_streams_a_large_file_and_refuses_one_over_the_limit(mesh, scene):
    operator, product = scene["operator"], scene["products"][0]
    pages = _pages_of(mesh, operator)
    data = os.urandom(9 * 1024 * 1024)  # past the pages' 8 MiB body limit
    done = _publish_page(mesh, pages, product["id"], "7.5", data)
    assert done.status_code == 303 and done.headers["Location"] == "/operator/releases?done=published", done.text
    listed = operator.get(mesh.url("/api/operator/releases"), params={"product": product["id"]}, timeout=10).json()
    release = next(item for item in listed["items"] if item["version"] == "7.5")
    assert (release["size"], release["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert release["notes_fr"] == "Depuis la page" and release["downloads"] == 0
    offered = scene["holder"].get(mesh.url("/api/assets/releases"), params={"product": product["id"]}, timeout=10)
    assert [(item["version"], item["waiting"]) for item in offered.json()["items"]] == [("7.5", True)]
    page = pages.get(mesh.url("/operator/releases?done=published"), timeout=10).text
    assert "The update has been published" in page and "calendar-7.5.zip" in page
    for _ in range(2):  # one user, two downloads: the chart's two bars say 1 and 2
        got = scene["holder"].get(mesh.url(f"/api/assets/releases/{release['id']}/file"), timeout=60)
        assert got.status_code == 200 and len(got.content) == len(data)
    chart = pages.get(mesh.url("/operator/releases"), params={"product": product["id"]}, timeout=10).text
    chart = html.unescape(chart[chart.index('<svg class="chart"'):chart.index("</figure>")])
    assert f"{product['code']} 7.5: Users who downloaded it 1, Downloads in all 2" in chart
    assert f'<tr><th scope="row">{product["code"]} 7.5</th><td>1</td><td>2</td></tr>' in chart

    before = listed["total"]
    over_assets = _publish_page(mesh, pages, product["id"], "7.6", os.urandom(LIMIT + 1))  # assets refuses it
    assert over_assets.status_code == 413 and "larger than the 12.0 MiB" in over_assets.text
    far_over = _publish_page(mesh, pages, product["id"], "7.7", os.urandom(LIMIT + 512 * 1024))  # the gateway does
    assert far_over.status_code == 413 and "larger than the 12.0 MiB" in far_over.text
    taken = _publish_page(mesh, pages, product["id"], "7.5", b"again")
    assert taken.status_code == 409 and "already has a release of this version" in taken.text
    assert operator.get(mesh.url("/api/operator/releases"), params={"product": product["id"]},
                        timeout=10).json()["total"] == before
    forged = pages.post(mesh.url("/operator/releases?csrf_token=forged"), timeout=10,
                        files={"file": ("x.zip", b"x", "application/zip")})
    assert forged.status_code == 400
    user_pages = _pages_of(mesh, scene["holder"])
    assert _publish_page_refused(mesh, user_pages) == 403


def _publish_page_refused(mesh, pages) -> int:
    return pages.get(mesh.url("/operator/releases"), timeout=10, allow_redirects=False).status_code


def test_holding_records_reach_the_companys_trail(mesh, scene):
    operator, holding = scene["operator"], scene["holding"]
    changed = operator.patch(mesh.url(f"/api/operator/holdings/{holding['id']}"), json={"quantity": 4}, timeout=10)
    assert changed.status_code == 200, changed.text
    trail = operator.get(mesh.url(f"/api/operator/companies/{scene['client']['company']['id']}/trail"),
                         params={"per_page": 50}, timeout=10).json()["items"]
    actions = [(item["action"], item["target_label"]) for item in trail if item["action"].startswith("holding")]
    code = scene["products"][0]["code"]
    assert actions == [("holding_changed", code), ("holding_recorded", code)]

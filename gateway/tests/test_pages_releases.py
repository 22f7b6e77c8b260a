"""The back office's updates page against faked services: operators only; the list with its criteria
and downloads; the publishing form's body streamed to assets as sent (past the pages' 8 MiB limit),
its CSRF token checked before, the refusals shown beside the fields with the values sent; 413 over
assets' limit with nothing forwarded."""
from __future__ import annotations

import html
import io
import re


ACTION = re.compile(r'action="(/operator/releases\?csrf_token=[^"]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PRODUCT = {"id": "p1", "code": "ACC", "name_en": "Accounting", "name_fr": "Comptabilité", "kind": "software"}
RELEASE = {"id": "r1", "product": {"id": "p1", "code": "ACC", "name": "Accounting"}, "version": "7.1",
           "channel": "stable", "released_on": "2026-11-20", "size": 9437184, "sha256": "ab", "notes_en": "",
           "notes_fr": "", "file_name": "update-7.1.zip", "created_at": "2026-11-20T10:00:00+00:00",
           "retired_at": None, "downloads": 2, "download_times": 3}


def _operator(client, open_session, language="en"):
    client.set_cookie("portal_session", open_session("op1", None, operator=True, display_name="Olga Op",
                                                     language=language))


def _assets(services):
    services["assets"].routes[("GET", "/operator/products")] = lambda seen: (200, {"items": [PRODUCT], "total": 1})
    services["assets"].routes[("GET", "/operator/releases")] = lambda seen: (200, {"items": [RELEASE], "total": 1})


def _form(fields: dict, data: bytes, boundary: str = "XyZb0undary") -> tuple[bytes, str]:
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="u.zip"\r\n'
                 f'Content-Type: application/zip\r\n\r\n'.encode() + data + f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


FIELDS = {"product_id": "p1", "version": "7.2", "channel": "stable", "released_on": "2026-12-01",
          "notes_en": "Year-end", "notes_fr": "Fin d'année"}


def test_only_operators_open_it(client, portal):
    assert client.get("/operator/releases").headers["Location"].startswith("/login?next=")
    client.set_cookie("portal_session", portal.open_session("claire@client.test"))
    assert client.get("/operator/releases").status_code == 403
    body, content_type = _form(FIELDS, b"x")
    assert client.post("/operator/releases", data=body, content_type=content_type).status_code == 403


def test_the_list_filters_and_shows_downloads(client, services, open_session):
    _assets(services)
    _operator(client, open_session)
    page = client.get("/operator/releases?product=p1&channel=stable").get_data(as_text=True)
    assert "update-7.1.zip" in page and "2 users, 3 downloads" in page and "9.0 MiB" in page
    assert "Displaying items 1 - 1 of 1" in page and 'enctype="multipart/form-data"' in page
    query = services["assets"].last.query
    assert "product=p1" in query and "channel=stable" in query
    assert "Up to 4.0 GiB" in page
    french = client.get("/operator/releases", headers={"Accept-Language": "fr"})
    _operator(client, open_session, "fr")
    french = client.get("/operator/releases").get_data(as_text=True)
    assert "Publier une mise à jour" in french and "2 utilisateurs, 3 téléchargements" in french


def test_a_large_form_streams_to_assets_as_sent(client, services, open_session):
    _assets(services)
    received = []

    def published(seen):
        received.append(seen)
        return 201, RELEASE
    services["assets"].routes[("POST", "/operator/releases")] = published
    _operator(client, open_session)
    page = client.get("/operator/releases").get_data(as_text=True)
    action = html.unescape(ACTION.search(page).group(1))
    data = bytes(range(256)) * (9 * 4096)  # 9 MiB: past the pages' 8 MiB body limit
    body, content_type = _form(FIELDS, data)
    without_token = client.post("/operator/releases", data=body, content_type=content_type)
    assert without_token.status_code == 400 and not received
    done = client.post(action, input_stream=io.BytesIO(body), content_type=content_type,
                       content_length=len(body))
    assert done.status_code == 303 and done.headers["Location"] == "/operator/releases?done=published"
    assert received[0].body == body and received[0].headers["Content-Type"] == content_type
    assert "X-Portal-Identity" in received[0].headers
    listed = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "The update has been published" in listed


def test_refusals_are_shown_beside_the_fields_with_the_values_sent(client, services, open_session):
    _assets(services)
    answers = [(409, {"error": {"code": "release_exists", "message": "x", "fields": {"version": ["x"]}}}),
               (400, {"error": {"code": "invalid_input", "message": "x", "fields": {"released_on": ["x"]}}}),
               (413, {"error": {"code": "too_large", "message": "x"}})]
    services["assets"].routes[("POST", "/operator/releases")] = lambda seen: answers.pop(0)
    _operator(client, open_session)
    action = html.unescape(ACTION.search(client.get("/operator/releases").get_data(as_text=True)).group(1))
    body, content_type = _form(FIELDS, b"zip bytes")
    taken = client.post(action, data=body, content_type=content_type)
    text = taken.get_data(as_text=True)
    assert taken.status_code == 409 and "This product already has a release of this version." in text
    assert 'value="7.2"' in text and "Fin d&#39;année" in text
    bad = client.post(action, data=body, content_type=content_type)
    assert bad.status_code == 400 and "Enter the release date." in bad.get_data(as_text=True)
    large = client.post(action, data=body, content_type=content_type)
    assert large.status_code == 413 and "larger than the 4.0 GiB" in large.get_data(as_text=True)


def test_over_assets_limit_is_413_before_a_byte_is_forwarded(services, open_session, monkeypatch):
    monkeypatch.setenv("PORTAL_ASSETS_RELEASE_MAX_BYTES", "1000")
    from gateway.app import create_app
    client = create_app({"TESTING": True}).test_client()
    _assets(services)
    _operator(client, open_session)
    action = html.unescape(ACTION.search(client.get("/operator/releases").get_data(as_text=True)).group(1))
    from portalkit.uploads import FORM_OVERHEAD
    body, content_type = _form(FIELDS, b"x" * (1000 + FORM_OVERHEAD + 1))
    refused = client.post(action, data=body, content_type=content_type)
    assert refused.status_code == 413 and "larger than the 1000 B" in refused.get_data(as_text=True)
    assert not [seen for seen in services["assets"].received if seen.method == "POST"]
    plain = client.post(action, data={"version": "1"}, content_type="application/x-www-form-urlencoded")
    assert plain.status_code == 400


def test_the_api_upload_route_names_its_own_limit(services, monkeypatch):
    monkeypatch.setenv("PORTAL_MAX_UPLOAD_BYTES", str(9 * 1024 * 1024))
    from gateway.app import create_app
    client = create_app({"TESTING": True}).test_client()
    answer = client.post("/api/operator/releases", data=b"x" * (9 * 1024 * 1024 + 1),
                         content_type="multipart/form-data; boundary=b")
    assert answer.status_code == 413 and str(9 * 1024 * 1024) in answer.get_json()["error"]["message"]


def test_a_body_without_its_length_is_counted_as_it_streams(services, open_session, monkeypatch):
    monkeypatch.setenv("PORTAL_ASSETS_RELEASE_MAX_BYTES", "1000")
    from gateway.app import create_app
    from portalkit.uploads import FORM_OVERHEAD
    client = create_app({"TESTING": True}).test_client()
    _assets(services)
    services["assets"].routes[("POST", "/operator/releases")] = lambda seen: (201, RELEASE)
    _operator(client, open_session)
    action = html.unescape(ACTION.search(client.get("/operator/releases").get_data(as_text=True)).group(1))
    small, content_type = _form(FIELDS, b"x" * 100)
    unterminated = client.post(action, input_stream=io.BytesIO(small),
                               headers={"Transfer-Encoding": "chunked", "Content-Type": content_type})
    assert unterminated.status_code == 400  # no length, and the server does not say where it ends
    terminated = {"wsgi.input_terminated": True}  # as gunicorn says of a chunked body
    sent = client.post(action, input_stream=io.BytesIO(small), environ_overrides=terminated,
                       headers={"Transfer-Encoding": "chunked", "Content-Type": content_type})
    assert sent.status_code == 303 and services["assets"].last.body == small
    large, content_type = _form(FIELDS, b"x" * (1000 + FORM_OVERHEAD + 1))
    refused = client.post(action, input_stream=io.BytesIO(large), environ_overrides=terminated,
                          headers={"Transfer-Encoding": "chunked", "Content-Type": content_type})
    assert refused.status_code == 413 and "larger than the 1000 B" in refused.get_data(as_text=True)
    assert 'value="7.2"' in refused.get_data(as_text=True)  # the fields ahead of the file, shown again


def test_the_downloads_per_release_are_a_chart_with_their_numbers(client, services, open_session):
    older = {**RELEASE, "id": "r0", "version": "7.0", "released_on": "2026-10-01", "downloads": 5, "download_times": 9}
    services["assets"].routes[("GET", "/operator/products")] = lambda seen: (200, {"items": [PRODUCT], "total": 1})
    services["assets"].routes[("GET", "/operator/releases")] = lambda seen: (200, {"items": [RELEASE, older],
                                                                                   "total": 2})
    _operator(client, open_session)
    page = client.get("/operator/releases").get_data(as_text=True)
    chart = page[page.index('<svg class="chart"'):page.index("</figure>")]
    assert "Downloads per release" in chart
    # Oldest first, as a chart over time reads; each number in the description and the table.
    assert ("ACC 7.0: Users who downloaded it 5, Downloads in all 9; "
            "ACC 7.1: Users who downloaded it 2, Downloads in all 3") in html.unescape(chart)
    assert chart.count("<rect ") == 4
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td></tr>', chart)
    assert rows == [("ACC 7.0", "5", "9"), ("ACC 7.1", "2", "3")]
    _operator(client, open_session, "fr")
    french = client.get("/operator/releases").get_data(as_text=True)
    assert "Téléchargements par version" in french and "Téléchargements en tout" in french


def test_no_chart_without_releases(client, services, open_session):
    services["assets"].routes[("GET", "/operator/products")] = lambda seen: (200, {"items": [PRODUCT], "total": 1})
    services["assets"].routes[("GET", "/operator/releases")] = lambda seen: (200, {"items": [], "total": 0})
    _operator(client, open_session)
    assert '<svg class="chart"' not in client.get("/operator/releases").get_data(as_text=True)

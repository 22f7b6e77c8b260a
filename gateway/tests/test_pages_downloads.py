"""The Downloads page inside the real gateway app, assets faked over HTTP: the releases with their
waiting marks and the calendar, in French; the home tile's waiting count; 403 without the right."""
from __future__ import annotations

import re

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
USER = {"id": "u1", "email": "claire@client.test", "display_name": "Claire Durand", "language": "fr",
        "operator": False, "company": {"id": "c1", "name": "Durand Industries"}}
RELEASE = {"id": "r1", "product": {"id": "p1", "code": "ACC", "name": "Comptabilité"}, "version": "7.1",
           "channel": "prerelease", "released_on": "2026-11-20", "size": 3 * 1024 * 1024, "sha256": "ab" * 32,
           "notes": "Changements de fin d'année", "file_name": "acc.zip", "file_url": "/api/assets/releases/r1/file",
           "waiting": True}


def sign_in(client, services):
    services["identity"].routes[("POST", "/auth/login")] = lambda seen: (200, {"user": USER, "password_expired": False})
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    return client.post("/login", data={"email": USER["email"], "password": "Portal-Access-93", "csrf_token": token})


def test_the_downloads_page_and_the_home_count_in_french(client, services, grant):
    grant("u1", "download-updates", "c1")
    assets = services["assets"]
    assets.routes[("GET", "/assets/releases")] = lambda seen: (200, {
        "items": [RELEASE], "total": 1, "waiting_total": 1,
        "products": [RELEASE["product"], {"id": "p9", "code": "PAY", "name": "Paie"}]})
    assets.routes[("GET", "/assets/calendar")] = lambda seen: (200, {"items": [
        {"id": "l1", "product": RELEASE["product"], "version": "8.0", "forecast_on": "2027-03-01",
         "released_on": None, "status": "forecast"}], "total": 1})
    sign_in(client, services)
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'data-count="downloads"><span class="tile-count">1</span> <span class="tile-count-label">à télécharger', home)
    page = client.get("/downloads").get_data(as_text=True)
    assert "1 mise à jour à télécharger." in page and "Nouveau" in page and "Préversion" in page
    assert 'href="/api/assets/releases/r1/file"' in page and "3.0 MiB" in page and "20 nov. 2026" in page
    assert "Calendrier de diffusion" in page and "1 mars 2027" in page and "Pas encore" in page
    assert '<option value="p9">Paie</option>' in page and "Les nouvelles seulement" in page
    narrowed = client.get("/downloads?waiting=1&product=p9").get_data(as_text=True)
    assert '<option value="p9" selected>Paie</option>' in narrowed
    assert any(seen.path == "/assets/releases" and "waiting=true" in seen.query and "product=p9" in seen.query
               for seen in assets.received)


def test_without_the_right_the_page_is_refused(client, services):
    services["assets"].routes[("GET", "/assets/releases")] = lambda seen: (
        403, {"error": {"code": "forbidden", "message": "Your subscriptions do not include this service."}})
    sign_in(client, services)
    assert client.get("/downloads").status_code == 403


OPERATOR = {**USER, "id": "op1", "email": "op@vendor.test", "display_name": "Olga Operator", "operator": True,
            "company": None}


def test_operators_keep_the_release_calendar_in_the_back_office(client, services):
    import json
    assets = services["assets"]
    lines = []
    assets.routes[("GET", "/operator/calendar")] = lambda seen: (200, {"items": lines, "total": len(lines)})
    assets.routes[("GET", "/operator/products")] = lambda seen: (200, {"items": [
        {"id": "p1", "code": "ACC", "name_en": "Accounting"}], "total": 1})

    def add(seen):
        body = json.loads(seen.body)
        if body["version"] == "8.0" and lines:
            return 409, {"error": {"code": "calendar_line_exists", "message": "Already.",
                                   "fields": {"version": ["Already in the calendar: change that line instead."]}}}
        lines.append({"id": "l1", "product": {"id": "p1", "code": "ACC", "name": "Accounting"},
                      "version": body["version"], "forecast_on": body["forecast_on"], "released_on": None,
                      "status": "forecast"})
        return 201, lines[-1]
    assets.routes[("POST", "/operator/calendar")] = add
    services["identity"].routes[("POST", "/auth/login")] = lambda seen: (200, {"user": OPERATOR, "password_expired": False})
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"email": OPERATOR["email"], "password": "Portal-Access-93", "csrf_token": token})
    page = client.get("/operator/calendar").get_data(as_text=True)
    assert "Calendrier de diffusion" in page and "ACC — Accounting" in page and "Aucune ligne" in page
    token = CSRF.search(page).group(1)
    form = {"product_id": "p1", "version": "8.0", "forecast_on": "2027-03-01", "released_on": "", "csrf_token": token}
    added = client.post("/operator/calendar", data=form)
    assert added.status_code == 303 and added.headers["Location"].endswith("/operator/calendar?done=created")
    assert json.loads(assets.last.body) == {"product_id": "p1", "version": "8.0", "forecast_on": "2027-03-01"}
    assert "La ligne a été ajoutée au calendrier." in client.get("/operator/calendar?done=created").get_data(as_text=True)
    again = client.post("/operator/calendar", data=form)
    assert again.status_code == 400 and "Already in the calendar" in again.get_data(as_text=True)
    assert client.post("/operator/calendar", data={**form, "csrf_token": "forged"}).status_code in (400, 403)
